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
  /** An invitation still open, on the centre's list (latest expiry first); removed on claim or revoke. */
  openInvitation: (centreId: string, expiresAtIso: string, code: string) => ({
    gsi1pk: `CENTRE#${centreId}#INVITES`,
    gsi1sk: `${expiresAtIso}#${code}`,
  }),
  openInvitationsOfCentre: (centreId: string) => ({ gsi1pk: `CENTRE#${centreId}#INVITES` }),
  /** On a user item while the account holds a staff or manager role at the centre: the staff list. */
  staffMember: (centreId: string, userId: string) => ({ gsi1pk: `CENTRE#${centreId}#STAFF`, gsi1sk: userId }),
  staffOfCentre: (centreId: string) => ({ gsi1pk: `CENTRE#${centreId}#STAFF` }),
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
  residentDaysPrefix: (residentId: string) => ({ pk: `RES#${residentId}`, skPrefix: "DAY#" }),
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
  /**
   * A visit with no final outcome yet, by its China date: written with the booking, deleted when it
   * is cancelled, completed or marked a no-show, so the day's closing job reads only what is left.
   */
  openVisit: (date: string, teamId: string, appointmentId: string) => ({
    pk: `OPENVISITS#${date}`,
    sk: `${teamId}#${appointmentId}`,
  }),
  openVisitsPrefix: (date: string, teamId?: string) => ({
    pk: `OPENVISITS#${date}`,
    skPrefix: teamId ? `${teamId}#` : "",
  }),
  /**
   * A reminder still to send (label "24h" or "2h"), by the UTC hour the visit starts: written with
   * the booking, deleted when the reminder is sent or no longer applies, so a reminder run reads only
   * what is left to do. `expiresAt` (TTL) clears what no run picked up.
   */
  reminderDue: (label: string, hour: string, appointmentId: string) => ({
    pk: `REMINDER#${label}#${hour}`,
    sk: `APPT#${appointmentId}`,
  }),
  remindersDuePrefix: (label: string, hour: string) => ({
    pk: `REMINDER#${label}#${hour}`,
    skPrefix: "APPT#",
  }),
  /** A page of a paged job whose next page is already on the queue (so a retry does not send it again). */
  jobPageContinued: (chain: string, page: number) => ({ pk: `JOBPAGE#${chain}#${page}`, sk: "JOBPAGE" }),
  /**
   * A per-caller request count for one limit group in one fixed window (`window` = its index since
   * the epoch); `subject` is `USER#<userId>` or `ADDR#<keyed hash of the source address>`.
   */
  limitWindow: (subject: string, group: string, window: number) => ({
    pk: `LIMIT#${subject}#${group}#${window}`,
    sk: "LIMIT",
  }),
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
  notice: (noticeId: string) => ({ pk: `NOTICE#${noticeId}`, sk: "NOTICE" }),
  noticeByCentre: (centreId: string, publishAt: string, noticeId: string) => ({
    gsi1pk: `CENTRE#${centreId}#NOTICES`,
    gsi1sk: `${publishAt}#${noticeId}`,
  }),
  noticesOfCentre: (centreId: string) => ({ gsi1pk: `CENTRE#${centreId}#NOTICES` }),
  /** Present only while a notice waits for its publish time. */
  noticeScheduled: (publishAt: string, noticeId: string) => ({
    gsi2pk: "NOTICES#SCHEDULED",
    gsi2sk: `${publishAt}#${noticeId}`,
  }),
  /** Present while a notice's fan-out runs: what the publisher's sweep looks through for stalls. */
  noticePublishing: (startedAt: string, noticeId: string) => ({
    gsi2pk: "NOTICES#PUBLISHING",
    gsi2sk: `${startedAt}#${noticeId}`,
  }),
  /** The fan-out checkpoint of one team of a notice's audience: the next page and its cursor. */
  noticeFanout: (noticeId: string, teamId: string) => ({ pk: `NOTICE#${noticeId}`, sk: `FAN#${teamId}` }),
  noticeFanoutsPrefix: (noticeId: string) => ({ pk: `NOTICE#${noticeId}`, skPrefix: "FAN#" }),
  lectureRegistration: (noticeId: string, residentId: string) => ({
    pk: `NOTICE#${noticeId}`,
    sk: `REG#${residentId}`,
  }),
  lectureRegistrationsPrefix: (noticeId: string) => ({ pk: `NOTICE#${noticeId}`, skPrefix: "REG#" }),
  /** The resident's side of a registration, so erasure finds what to cancel without a scan. */
  residentLecture: (residentId: string, noticeId: string) => ({
    pk: `RES#${residentId}`,
    sk: `LECTURE#${noticeId}`,
  }),
  residentLecturesPrefix: (residentId: string) => ({ pk: `RES#${residentId}`, skPrefix: "LECTURE#" }),
  inboxPrefix: (residentId: string) => ({ pk: `INBOX#${residentId}`, skPrefix: "MSG#" }),
  /** Unread messages of a resident, kept with each delivery and read. */
  inboxCounter: (residentId: string) => ({ pk: `RES#${residentId}`, sk: "INBOXSTATS" }),
  /** A signed household reached by at least one notice in a year (requirement 2 of the plan). */
  householdNoticed: (year: string, householdId: string) => ({
    pk: `HHNOTICE#${year}#${householdId}`,
    sk: "HHNOTICE",
  }),
  /** One-time WeChat subscribe-message grants a user holds, per template. */
  subscriptionGrant: (userId: string, templateId: string) => ({
    pk: `USER#${userId}`,
    sk: `GRANT#${templateId}`,
  }),
  subscriptionGrantsPrefix: (userId: string) => ({ pk: `USER#${userId}`, skPrefix: "GRANT#" }),
  householdsOfTeamPrefix: (teamId: string) => ({ pk: `TEAM#${teamId}`, skPrefix: "HH#" }),
  /** Marks a message as sent once: a re-run job or a redelivered batch writes nothing twice. */
  sentOnce: (dedupeKey: string) => ({ pk: `SENT#${dedupeKey}`, sk: "SENT" }),
  // Satisfaction surveys (issue 7).
  survey: (surveyId: string) => ({ pk: `SURVEY#${surveyId}`, sk: "SURVEY" }),
  surveyByCentre: (centreId: string, createdAt: string, surveyId: string) => ({
    gsi1pk: `CENTRE#${centreId}#SURVEYS`,
    gsi1sk: `${createdAt}#${surveyId}`,
  }),
  /** Which survey new invitations of a trigger use at a centre (absent: the default survey). */
  activeSurvey: (centreId: string, trigger: string) => ({
    pk: `CENTRE#${centreId}`,
    sk: `SURVEYFOR#${trigger}`,
  }),
  surveyInvitation: (invitationId: string) => ({ pk: `SURVEYINV#${invitationId}`, sk: "SURVEYINV" }),
  /** Pending invitations of a resident; the index attributes are removed once answered. */
  pendingSurveyOfResident: (residentId: string, createdAt: string, invitationId: string) => ({
    gsi1pk: `RES#${residentId}#SURVEYS`,
    gsi1sk: `${createdAt}#${invitationId}`,
  }),
  pendingSurveysOfResident: (residentId: string) => ({ gsi1pk: `RES#${residentId}#SURVEYS` }),
  /** The one response an invitation may have: its key is the invitation's, so a second Put fails. */
  surveyResponse: (invitationId: string) => ({ pk: `SURVEYINV#${invitationId}`, sk: "RESPONSE" }),
  /** Raw responses by centre and month, for rebuilding aggregates (never read by a request). */
  responseByCentreMonth: (centreId: string, month: string, submittedAt: string, invitationId: string) => ({
    gsi2pk: `SAT#${centreId}#${month}#RESPONSES`,
    gsi2sk: `${submittedAt}#${invitationId}`,
  }),
  responsesOfCentreMonth: (centreId: string, month: string) => ({
    gsi2pk: `SAT#${centreId}#${month}#RESPONSES`,
  }),
  /** Responses with a rating at or below the low-score mark, newest first, for follow-up. */
  lowScoreByCentre: (centreId: string, submittedAt: string, invitationId: string) => ({
    gsi1pk: `SAT#${centreId}#LOW`,
    gsi1sk: `${submittedAt}#${invitationId}`,
  }),
  lowScoresOfCentre: (centreId: string) => ({ gsi1pk: `SAT#${centreId}#LOW` }),
  /** Sum and count per dimension for one group (ALL, TEAM#…, STAFF#…, SVC#…) of a centre-month. */
  satisfactionAggregate: (centreId: string, month: string, group: string) => ({
    pk: `SAT#${centreId}#${month}`,
    sk: group,
  }),
  satisfactionAggregatesOfMonth: (centreId: string, month: string) => ({ pk: `SAT#${centreId}#${month}` }),
  /** Who completed a visit (from the fulfilment record), for per-staff scores. */
  visitStaff: (appointmentId: string) => ({ pk: `APPT#${appointmentId}`, sk: "SURVEYSTAFF" }),
  /** A stream record already projected: written in the same transaction as its counter changes. */
  streamMarker: (eventId: string) => ({ pk: `STREAMEVT#${eventId}`, sk: "STREAMEVT" }),
  /** Report counters of a centre-month: sk "CENTRE" for the total, "TEAM#…" per team. */
  reportCounter: (centreId: string, month: string, scope: string) => ({
    pk: `STATS#${centreId}#${month}`,
    sk: scope,
  }),
  reportCountersOfMonth: (centreId: string, month: string) => ({ pk: `STATS#${centreId}#${month}` }),
  /** A team's running figures (persons with a running contract, priority persons, entitlements). */
  teamRunning: (teamId: string) => ({ pk: `STATS#TEAM#${teamId}`, sk: "RUNNING" }),
  /** The team's figures as last seen in a month (written until month closing replaced them; read as a base). */
  teamSnapshot: (teamId: string, month: string) => ({ pk: `STATS#TEAM#${teamId}`, sk: `SNAP#${month}` }),
  /** A closed centre-month (sk "CLOSED") and its revisions (sk "REV#0001", …): one partition. */
  closedMonth: (centreId: string, month: string) => ({ pk: `REPORT#${centreId}#${month}`, sk: "CLOSED" }),
  monthRevision: (centreId: string, month: string, revision: number) => ({
    pk: `REPORT#${centreId}#${month}`,
    sk: `REV#${String(revision).padStart(4, "0")}`,
  }),
  /** How far the stats projector has got: the creation time of the newest record it has handled. */
  projectorPosition: () => ({ pk: "STATS#PROJECTOR", sk: "POSITION" }),
  // Proactive care (issue 16).
  /** One item of a team's work-list; `ref` tells apart several of a kind (visits, requests). */
  workItem: (teamId: string, kind: string, residentId: string, ref?: string) => ({
    pk: `WORK#${teamId}`,
    sk: `${kind}#${residentId}${ref ? `#${ref}` : ""}`,
  }),
  workItemsOfTeam: (teamId: string, kind?: string) => ({
    pk: `WORK#${teamId}`,
    skPrefix: kind ? `${kind}#` : "",
  }),
  /** Open work-list items per kind of a team, moved in the same transaction as each item. */
  workCounts: (teamId: string) => ({ pk: `WORKCOUNT#${teamId}`, sk: "COUNTS" }),
  /** The counts as last seen in a month (China time): the monthly report's month-end care figures. */
  workCountsMonth: (teamId: string, month: string) => ({ pk: `WORKCOUNT#${teamId}`, sk: `MONTH#${month}` }),
  /**
   * A resident on one of a team's care rosters (`chronic`: a chronic patient with a running
   * contract; `assessed`: this contract year's assessment done), counted in the counts item.
   */
  careRoster: (teamId: string, roster: string, residentId: string) => ({
    pk: `CARE#${teamId}`,
    sk: `${roster}#${residentId}`,
  }),
  /** A day on which a resident's time-driven items may change: what the daily job re-evaluates. */
  workAgenda: (date: string, teamId: string, residentId: string) => ({
    pk: `WORKAGENDA#${date}`,
    sk: `${teamId}#${residentId}`,
  }),
  workAgendaPrefix: (date: string, teamId?: string) => ({
    pk: `WORKAGENDA#${date}`,
    skPrefix: teamId ? `${teamId}#` : "",
  }),
  /** The resident (or a representative) read a renewal reminder of this contract. */
  reminderRead: (residentId: string, contractId: string) => ({
    pk: `RES#${residentId}`,
    sk: `REMINDERREAD#${contractId}`,
  }),
  homeVisitRequest: (requestId: string) => ({ pk: `HVREQ#${requestId}`, sk: "HVREQ" }),
  homeVisitByResident: (residentId: string, createdAt: string, requestId: string) => ({
    gsi1pk: `RES#${residentId}#HVREQS`,
    gsi1sk: `${createdAt}#${requestId}`,
  }),
  homeVisitsOfResident: (residentId: string) => ({ gsi1pk: `RES#${residentId}#HVREQS` }),
  /** Held while the resident has a request open or scheduled: one at a time. */
  openHomeVisit: (residentId: string) => ({ pk: `RES#${residentId}`, sk: "HVOPEN" }),
  /** A phone reveal, per staff member of a centre (newest last): who, when, which resident and item. */
  contactAudit: (centreId: string, staffUserId: string, at: string, auditId: string) => ({
    pk: `CONTACTAUDIT#${centreId}#${staffUserId}`,
    sk: `${at}#${auditId}`,
  }),
  contactAuditOfStaff: (centreId: string, staffUserId: string) => ({
    pk: `CONTACTAUDIT#${centreId}#${staffUserId}`,
  }),
  // Centre settings (issue 15).
  /** A centre's own values of the local rules (absent: every default applies). */
  centreSettings: (centreId: string) => ({ pk: `CENTRE#${centreId}`, sk: "SETTINGS" }),
  /** One audited settings change (who, when, old → new), newest last by sort key. */
  settingsChange: (centreId: string, at: string, changeId: string) => ({
    pk: `CENTRE#${centreId}`,
    sk: `SETCHG#${at}#${changeId}`,
  }),
  settingsChangesPrefix: (centreId: string) => ({ pk: `CENTRE#${centreId}`, skPrefix: "SETCHG#" }),
  /**
   * One survey's figures for one team (sk `TEAM#<teamId>`, `TEAM#-` for none): invited, responded,
   * and per question `q_<questionId>_<value>` counts. A survey has one item per team it reached.
   */
  surveyStat: (surveyId: string, teamId: string | null) => ({
    pk: `SURVEYSTAT#${surveyId}`,
    sk: `TEAM#${teamId ?? "-"}`,
  }),
  surveyStatsPrefix: (surveyId: string) => ({ pk: `SURVEYSTAT#${surveyId}`, skPrefix: "TEAM#" }),
  /** A free-text answer without identity (no resident, no invitation), by survey, newest last. */
  surveyComment: (surveyId: string, submittedAt: string, commentId: string) => ({
    pk: `SURVEYCMT#${surveyId}`,
    sk: `${submittedAt}#${commentId}`,
  }),
  surveyCommentsOf: (surveyId: string) => ({ pk: `SURVEYCMT#${surveyId}` }),
  /** A district (区) and the centres it oversees (a handful to a few tens). */
  district: (districtId: string) => ({ pk: `DISTRICT#${districtId}`, sk: "DISTRICT" }),
  /** The follow-up (回访) of a low-score response, beside the response itself. */
  followUp: (responseId: string) => ({ pk: `SURVEYINV#${responseId}`, sk: "FOLLOWUP" }),
  /**
   * On the follow-up item: the assignee's list by state ("open" or "resolved"), newest assignment
   * first; a reassignment rewrites it under the new assignee, closing moves it to "resolved".
   */
  followUpOfAssignee: (assigneeId: string, state: string, assignedAt: string, responseId: string) => ({
    gsi1pk: `USER#${assigneeId}#FOLLOWUPS#${state}`,
    gsi1sk: `${assignedAt}#${responseId}`,
  }),
  followUpsOfAssignee: (assigneeId: string, state: string) => ({
    gsi1pk: `USER#${assigneeId}#FOLLOWUPS#${state}`,
  }),
} as const;
