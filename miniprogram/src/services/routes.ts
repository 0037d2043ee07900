/** Page paths, so navigation targets are typed once. */
export const PAGES = {
  home: "/pages/index/index",
  consent: "/pages/consent/index",
  login: "/pages/login/index",
  profile: "/pages/profile/index",
  family: "/pages/family/index",
  my: "/pages/my/index",
  sign: "/pages/sign/index",
  contracts: "/pages/contracts/index",
  team: "/pages/team/index",
  comingSoon: "/pages/coming-soon/index",
  appointments: "/pages/appointments/index",
  myAppointments: "/pages/my-appointments/index",
  teamDay: "/pages/team-day/index",
  schedule: "/pages/schedule/index",
  notices: "/pages/notices/index",
  notice: "/pages/notice/index",
  surveys: "/pages/surveys/index",
  publishNotice: "/pages/publish-notice/index",
  teamNotices: "/pages/team-notices/index",
  dashboard: "/pages/dashboard/index",
} as const;
export type PagePath = (typeof PAGES)[keyof typeof PAGES];
