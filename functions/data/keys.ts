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
} as const;
