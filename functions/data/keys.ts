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
  /** Marks a message as sent once: a re-run job or a redelivered batch writes nothing twice. */
  sentOnce: (dedupeKey: string) => ({ pk: `SENT#${dedupeKey}`, sk: "SENT" }),
} as const;
