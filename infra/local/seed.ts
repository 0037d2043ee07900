import { findOrCreateUser } from "../../functions/data/identity-repo.js";
import { putIfAbsent } from "../../functions/data/items.js";
import { keys } from "../../functions/data/keys.js";
import { ensureDefaultSurveys } from "../../functions/data/surveys-repo.js";
import type { TeamRecord } from "../../functions/domain/teams.js";
import type { Session } from "../../functions/lib/session.js";
import { createSchedule } from "../../functions/services/appointments.js";
import { publish } from "../../functions/services/notices.js";
import { addDays, todayInChina } from "../../shared/dates.js";
import type { ServicePackage } from "../../shared/schemas/contracts.js";
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

const PACKAGES: Omit<ServicePackage, "centreId" | "validFrom" | "validTo">[] = [
  {
    packageId: "p_basic",
    name: "基础服务包（免费）",
    description: "健康状况早了解、健康信息早知道、分类服务我主动：年度健康评估、健康教育与主动咨询。",
    basic: true,
    targetGroups: [],
    items: [
      { type: "annual_assessment", name: "年度健康评估", timesPerYear: 1 },
      { type: "health_education", name: "健康教育", timesPerYear: 1 },
      { type: "consultation", name: "主动咨询", timesPerYear: 4 },
    ],
    feeFen: 0,
    subsidyFen: 0,
    residentPaysFen: 0,
  },
  {
    packageId: "p_chronic",
    name: "慢病管理包（高血压/糖尿病）",
    description: "每年至少 4 次面对面随访和 1 次健康体检，用药指导。",
    basic: false,
    targetGroups: ["chronic"],
    items: [
      { type: "chronic_followup", name: "慢病随访", timesPerYear: 4 },
      { type: "physical_exam", name: "健康体检", timesPerYear: 1 },
    ],
    feeFen: 12_000,
    subsidyFen: 9_000,
    residentPaysFen: 3_000,
  },
  {
    packageId: "p_elderly",
    name: "老年人健康包",
    description: "65 岁以上老人每季度免费体检；80 岁以上可申请上门服务。",
    basic: false,
    targetGroups: ["elderly"],
    items: [
      { type: "physical_exam", name: "季度体检", timesPerYear: 4 },
      { type: "home_visit", name: "上门服务", timesPerYear: 2 },
    ],
    feeFen: 10_000,
    subsidyFen: 10_000,
    residentPaysFen: 0,
  },
  {
    packageId: "p_child",
    name: "儿童保健包（0–6 岁）",
    description: "儿童健康检查与生长发育评估。",
    basic: false,
    targetGroups: ["children"],
    items: [{ type: "child_health", name: "儿童健康检查", timesPerYear: 4 }],
    feeFen: 6_000,
    subsidyFen: 6_000,
    residentPaysFen: 0,
  },
  {
    packageId: "p_prenatal",
    name: "孕产妇健康包",
    description: "孕期产前检查与产后访视。",
    basic: false,
    targetGroups: ["pregnant"],
    items: [{ type: "prenatal", name: "产前检查", timesPerYear: 5 }],
    feeFen: 8_000,
    subsidyFen: 8_000,
    residentPaysFen: 0,
  },
];

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
    population: { residents: 12_000, priority: 3_600 },
  });
  for (const pkg of PACKAGES) {
    await put({
      ...keys.servicePackage(DEMO.centreId, pkg.packageId),
      type: "ServicePackage",
      ...pkg,
      centreId: DEMO.centreId,
      validFrom: "2026-01-01",
      validTo: null,
    });
  }
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
      signedPersons: 0,
      servicePhone: `010-8401230${i + 1}`,
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
  created += await seedDistrict(put);
  await ensureDefaultSurveys();
  created += await seedSchedules();
  if (await putIfAbsent({ pk: "SEED#notices", sk: "SEED", type: "SeedMarker" }))
    created += await seedNotices();
  return { created };
}

/** The district (东城区) over the demo centre and a second, smaller one, and its read-only account. */
export const DEMO_DISTRICT = {
  districtId: "d_demo",
  name: "东城区",
  second: {
    centreId: "c_demo_2",
    name: "东华门街道社区卫生服务中心",
    neighbourhood: { neighbourhoodId: "n_demo2_1", name: "东华门社区" },
    team: { teamId: "t_demo2_1", name: "东华门家庭医生团队", members: ["吴敏", "郑洁", "冯涛"] },
  },
} as const;

async function seedDistrict(
  put: (item: Parameters<typeof putIfAbsent>[0]) => Promise<void>,
): Promise<number> {
  const { second } = DEMO_DISTRICT;
  await put({
    ...keys.centre(second.centreId),
    ...keys.centresIndex(),
    gsi1sk: second.centreId,
    type: "Centre",
    centreId: second.centreId,
    name: second.name,
    neighbourhoods: [second.neighbourhood],
    population: { residents: 4_000, priority: 1_100 },
  });
  const basic = PACKAGES.find((p) => p.basic);
  if (basic)
    await put({
      ...keys.servicePackage(second.centreId, basic.packageId),
      type: "ServicePackage",
      ...basic,
      centreId: second.centreId,
      validFrom: "2026-01-01",
      validTo: null,
    });
  await put({
    ...keys.neighbourhood(second.neighbourhood.neighbourhoodId),
    type: "Neighbourhood",
    ...second.neighbourhood,
    centreId: second.centreId,
  });
  const [doctor, nurse, publicHealth] = second.team.members;
  const team: TeamRecord = {
    teamId: second.team.teamId,
    centreId: second.centreId,
    name: second.team.name,
    members: [
      { name: doctor, role: "doctor" },
      { name: nurse, role: "nurse" },
      { name: publicHealth, role: "public_health" },
    ],
    capacityHouseholds: 300,
    signedHouseholds: 0,
    signedPersons: 0,
  };
  await put({
    ...keys.team(team.teamId),
    ...keys.teamsOfCentre(second.centreId),
    gsi1sk: team.teamId,
    type: "Team",
    ...team,
  });
  await put({
    ...keys.district(DEMO_DISTRICT.districtId),
    type: "District",
    districtId: DEMO_DISTRICT.districtId,
    name: DEMO_DISTRICT.name,
    centreIds: [DEMO.centreId, second.centreId],
  });
  await findOrCreateUser("demo-district", {
    userId: "u_demo_district",
    roles: ["resident", "district"],
    districtId: DEMO_DISTRICT.districtId,
  });
  return 0;
}

const doctorSession = (i: number): Session => ({
  userId: `u_demo_doctor_${i + 1}`,
  roles: ["doctor"],
  teamId: DEMO.teams[i]?.teamId,
  centreId: DEMO.centreId,
});

/** Two weeks of slots from today: weekday mornings for consultations, chronic follow-ups twice a week. */
async function seedSchedules(): Promise<number> {
  const today = todayInChina();
  const until = addDays(today, 13);
  let created = 0;
  for (const [i, team] of DEMO.teams.entries()) {
    const common = { startDate: today, endDate: until, slotMinutes: 30 };
    const morning = await createSchedule(doctorSession(i), team.teamId, {
      ...common,
      serviceType: "consultation",
      weekdays: [1, 2, 3, 4, 5],
      startTime: "08:00",
      endTime: "11:30",
      capacityPerSlot: 4,
    });
    const followups = await createSchedule(doctorSession(i), team.teamId, {
      ...common,
      serviceType: "chronic_followup",
      weekdays: [2, 4],
      startTime: "14:00",
      endTime: "16:00",
      capacityPerSlot: 3,
    });
    created += morning.slotsCreated + followups.slotsCreated;
  }
  return created;
}

/** A lecture and the season's notice, once; they reach whoever is signed with team 1 by then. */
async function seedNotices(): Promise<number> {
  const doctor = doctorSession(0);
  const audience = { scope: "team" as const, teamId: DEMO.teams[0].teamId };
  await publish(doctor, {
    kind: "lecture",
    title: "高血压患者的饮食与运动",
    body: "主讲：王建国（全科医生）。讲解限盐饮食、规律运动与家庭血压测量，现场提供免费血压测量。",
    audience,
    lecture: {
      venue: "中心三楼多功能厅",
      startsAt: `${addDays(todayInChina(), 7)}T09:30:00+08:00`,
      capacity: 40,
    },
  });
  await publish(doctor, {
    kind: "seasonal",
    title: "流感季来临：请老人和慢病患者尽早接种流感疫苗",
    body: "秋冬季是流感高发期。65 岁以上老人和慢性病患者请尽早到社区卫生服务中心接种流感疫苗。",
    audience: { ...audience, groups: ["elderly", "chronic"] },
  });
  return 2;
}
