import type { TeamRecord } from "../../functions/data/centres-repo.js";
import { findOrCreateUser } from "../../functions/data/identity-repo.js";
import { putIfAbsent } from "../../functions/data/items.js";
import { keys } from "../../functions/data/keys.js";
import { DEFAULT_SETTINGS } from "../../shared/settings.js";

/**
 * Demo data for `npm start` and the test suite: one centre with three neighbourhoods, three teams
 * of three, and the staff accounts API.md names. Fixed ids and conditional writes make a second
 * run add nothing.
 */
export const DEMO = {
  centreId: "c_demo",
  centreName: "和平里街道社区卫生服务中心",
  neighbourhoods: [
    { neighbourhoodId: "n_demo_1", name: "和平里一区社区" },
    { neighbourhoodId: "n_demo_2", name: "和平里二区社区" },
    { neighbourhoodId: "n_demo_3", name: "青年湖社区" },
  ],
  teams: [
    { teamId: "t_demo_1", name: "第一家庭医生团队", members: ["王建国", "李秀梅", "张伟"] },
    { teamId: "t_demo_2", name: "第二家庭医生团队", members: ["刘芳", "陈静", "杨帆"] },
    { teamId: "t_demo_3", name: "第三家庭医生团队", members: ["赵明", "孙丽", "周强"] },
  ],
} as const;

export async function seedDemoData(): Promise<{ created: number }> {
  let created = 0;
  const put = async (item: Parameters<typeof putIfAbsent>[0]) => {
    if (await putIfAbsent(item)) created++;
  };
  await put({
    ...keys.centre(DEMO.centreId),
    ...keys.centresIndex(),
    gsi1sk: DEMO.centreId,
    type: "Centre",
    centreId: DEMO.centreId,
    name: DEMO.centreName,
    neighbourhoods: DEMO.neighbourhoods,
  });
  for (const n of DEMO.neighbourhoods) {
    await put({
      ...keys.neighbourhood(n.neighbourhoodId),
      type: "Neighbourhood",
      ...n,
      centreId: DEMO.centreId,
    });
  }
  for (const [i, team] of DEMO.teams.entries()) {
    const [doctor, nurse, publicHealth] = team.members;
    const members: TeamRecord["members"] = [
      { userId: `u_demo_doctor_${i + 1}`, name: doctor, role: "doctor" },
      { userId: i === 0 ? "u_demo_nurse_1" : undefined, name: nurse, role: "nurse" },
      { name: publicHealth, role: "public_health" },
    ];
    const record: TeamRecord = {
      teamId: team.teamId,
      centreId: DEMO.centreId,
      name: team.name,
      members: members.map((m) => (m.userId ? m : { name: m.name, role: m.role })),
      capacityHouseholds: DEFAULT_SETTINGS.teamCapacityHouseholds,
      signedHouseholds: 0,
    };
    await put({
      ...keys.team(team.teamId),
      ...keys.teamsOfCentre(DEMO.centreId),
      gsi1sk: team.teamId,
      type: "Team",
      ...record,
    });
    await findOrCreateUser(`demo-doctor-${i + 1}`, {
      userId: `u_demo_doctor_${i + 1}`,
      roles: ["doctor"],
      teamId: team.teamId,
      centreId: DEMO.centreId,
    });
  }
  await findOrCreateUser("demo-nurse-1", {
    userId: "u_demo_nurse_1",
    roles: ["nurse"],
    teamId: DEMO.teams[0].teamId,
    centreId: DEMO.centreId,
  });
  await findOrCreateUser("demo-manager", {
    userId: "u_demo_manager",
    roles: ["manager"],
    centreId: DEMO.centreId,
  });
  return { created };
}
