/**
 * Key builders for every entity in the single table, in one place so no two modules spell a key
 * differently. `pk`/`sk` are the primary key; `gsi1*`/`gsi2*` the generic secondary indexes.
 */
export const keys = {
  user: (userId: string) => ({ pk: `USER#${userId}`, sk: "USER" }),
  openid: (openidHash: string) => ({ pk: `OPENID#${openidHash}`, sk: "OPENID" }),
  /** The user may act for the resident (themselves or a family member). */
  actsFor: (userId: string, residentId: string) => ({ pk: `USER#${userId}`, sk: `ACTS#${residentId}` }),
  actsForPrefix: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: "ACTS#" }),
  resident: (residentId: string) => ({ pk: `RES#${residentId}`, sk: "PROFILE" }),
  representedBy: (residentId: string, userId: string) => ({ pk: `RES#${residentId}`, sk: `REP#${userId}` }),
  representedByPrefix: (residentId: string) => ({ pk: `RES#${residentId}`, skPrefix: "REP#" }),
  idNumber: (idHash: string) => ({ pk: `IDNO#${idHash}`, sk: "IDNO" }),
  centre: (centreId: string) => ({ pk: `CENTRE#${centreId}`, sk: "CENTRE" }),
  centresIndex: () => ({ gsi1pk: "CENTRES" }),
  neighbourhood: (neighbourhoodId: string) => ({ pk: `NBH#${neighbourhoodId}`, sk: "NBH" }),
  team: (teamId: string) => ({ pk: `TEAM#${teamId}`, sk: "TEAM" }),
  teamsOfCentre: (centreId: string) => ({ gsi1pk: `CENTRE#${centreId}#TEAMS` }),
  servicePackage: (centreId: string, packageId: string) => ({
    pk: `CENTRE#${centreId}`,
    sk: `PKG#${packageId}`,
  }),
  packagesPrefix: (centreId: string) => ({ pk: `CENTRE#${centreId}`, skPrefix: "PKG#" }),
  invitation: (code: string) => ({ pk: `INVITE#${code}`, sk: "INVITE" }),
  contract: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: "CONTRACT" }),
  /** Listing by team and status: begins_with(gsi1sk, "pending#") finds a team's pending applications. */
  contractByTeam: (teamId: string, status: string, appliedAt: string, contractId: string) => ({
    gsi1pk: `TEAM#${teamId}#CONTRACTS`,
    gsi1sk: `${status}#${appliedAt}#${contractId}`,
  }),
  contractsOfTeam: (teamId: string) => ({ gsi1pk: `TEAM#${teamId}#CONTRACTS` }),
  contractByResident: (residentId: string, appliedAt: string, contractId: string) => ({
    gsi2pk: `RES#${residentId}#CONTRACTS`,
    gsi2sk: `${appliedAt}#${contractId}`,
  }),
  contractsOfResident: (residentId: string) => ({ gsi2pk: `RES#${residentId}#CONTRACTS` }),
  /** Held while the resident has a pending or running contract: one team per resident at a time. */
  signedLock: (residentId: string) => ({ pk: `RES#${residentId}`, sk: "SIGNED" }),
  /** How many of a household's members hold a place with a team; the team counts the household once. */
  householdAtTeam: (teamId: string, householdId: string) => ({
    pk: `TEAM#${teamId}`,
    sk: `HH#${householdId}`,
  }),
  contractEvent: (contractId: string, at: string, eventId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `EVT#${at}#${eventId}`,
  }),
  contractEventsPrefix: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, skPrefix: "EVT#" }),
  contractService: (contractId: string, deliveredAt: string, serviceId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `SVC#${deliveredAt}#${serviceId}`,
  }),
  contractServicesPrefix: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, skPrefix: "SVC#" }),
  /** Guards against recording the same delivered service twice (a retried request, a replayed event). */
  contractServiceId: (contractId: string, serviceId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `SVCID#${serviceId}`,
  }),
  /** Contracts ending on a date, by team: what the daily renewal job works through. */
  expiry: (endDate: string, teamId: string, contractId: string) => ({
    pk: `EXPIRY#${endDate}`,
    sk: `TEAM#${teamId}#${contractId}`,
  }),
  expiryPrefix: (endDate: string, teamId?: string) => ({
    pk: `EXPIRY#${endDate}`,
    skPrefix: teamId ? `TEAM#${teamId}#` : "TEAM#",
  }),
  inboxMessage: (residentId: string, sentAt: string, messageId: string) => ({
    pk: `INBOX#${residentId}`,
    sk: `MSG#${sentAt}#${messageId}`,
  }),
  slot: (slotId: string) => ({ pk: `SLOT#${slotId}`, sk: "SLOT" }),
  slotByTeam: (teamId: string, startsAt: string, slotId: string) => ({
    gsi1pk: `TEAM#${teamId}#SLOTS`,
    gsi1sk: `${startsAt}#${slotId}`,
  }),
  slotsOfTeam: (teamId: string) => ({ gsi1pk: `TEAM#${teamId}#SLOTS` }),
  /** One booking per resident per slot; these items are also the slot's booking list. */
  slotBooking: (slotId: string, residentId: string) => ({ pk: `SLOT#${slotId}`, sk: `RES#${residentId}` }),
  slotBookingsPrefix: (slotId: string) => ({ pk: `SLOT#${slotId}`, skPrefix: "RES#" }),
  /** At most one booking per resident per day. */
  residentDay: (residentId: string, date: string) => ({ pk: `RES#${residentId}`, sk: `DAY#${date}` }),
  /** Count of a resident's open bookings, capped by a condition. */
  openBookings: (residentId: string) => ({ pk: `RES#${residentId}`, sk: "BOOKINGS" }),
  appointment: (appointmentId: string) => ({ pk: `APPT#${appointmentId}`, sk: "APPT" }),
  appointmentByResident: (residentId: string, startsAt: string, appointmentId: string) => ({
    gsi1pk: `RES#${residentId}#APPTS`,
    gsi1sk: `${startsAt}#${appointmentId}`,
  }),
  appointmentsOfResident: (residentId: string) => ({ gsi1pk: `RES#${residentId}#APPTS` }),
  appointmentByTeamDay: (teamId: string, date: string, startsAt: string, appointmentId: string) => ({
    gsi2pk: `TEAM#${teamId}#DAY#${date}`,
    gsi2sk: `${startsAt}#${appointmentId}`,
  }),
  appointmentsOfTeamDay: (teamId: string, date: string) => ({ gsi2pk: `TEAM#${teamId}#DAY#${date}` }),
  /** Appointments by the UTC hour they start: what the reminder job looks through. */
  appointmentHour: (hour: string, appointmentId: string) => ({
    pk: `APPTHOUR#${hour}`,
    sk: `APPT#${appointmentId}`,
  }),
  appointmentsOfHour: (hour: string) => ({ pk: `APPTHOUR#${hour}`, skPrefix: "APPT#" }),
  /** A booking request's Idempotency-Key, per user: the retry gets the first answer. */
  idempotency: (userId: string, key: string) => ({ pk: `IDEMP#${userId}#${key}`, sk: "IDEMP" }),
  /** Waitlist order: priority residents (0) before others (1), then first come. */
  waitlistEntry: (slotId: string, priority: boolean, joinedAt: string, residentId: string) => ({
    pk: `SLOT#${slotId}`,
    sk: `WAIT#${priority ? 0 : 1}#${joinedAt}#${residentId}`,
  }),
  waitlistPrefix: (slotId: string) => ({ pk: `SLOT#${slotId}`, skPrefix: "WAIT#" }),
  waitlistMember: (slotId: string, residentId: string) => ({
    pk: `SLOT#${slotId}`,
    sk: `WAITRES#${residentId}`,
  }),
  offer: (offerId: string) => ({ pk: `OFFER#${offerId}`, sk: "OFFER" }),
  offersOfResident: (residentId: string) => ({ gsi1pk: `RES#${residentId}#OFFERS` }),
  offerHour: (hour: string, offerId: string) => ({ pk: `OFFERHOUR#${hour}`, sk: `OFFER#${offerId}` }),
  /** Marks a message as sent once: a re-run job or a redelivered batch writes nothing twice. */
  sentOnce: (dedupeKey: string) => ({ pk: `SENT#${dedupeKey}`, sk: "SENT" }),
} as const;
