export default defineAppConfig({
  // The resident's pages: the main package.
  pages: [
    "pages/index/index",
    "pages/consent/index",
    "pages/privacy/index",
    "pages/login/index",
    "pages/profile/index",
    "pages/family/index",
    "pages/my/index",
    "pages/sign/index",
    "pages/contracts/index",
    "pages/appointments/index",
    "pages/my-appointments/index",
    "pages/notices/index",
    "pages/notice/index",
    "pages/surveys/index",
  ],
  // Staff and manager pages load only for those who open them (and the claim page for new staff).
  subPackages: [
    {
      root: "staff",
      name: "staff",
      pages: [
        "team/index",
        "team-day/index",
        "schedule/index",
        "publish-notice/index",
        "team-notices/index",
        "dashboard/index",
        "invitations/index",
        "members/index",
        "claim/index",
        "worklist/index",
      ],
    },
  ],
  // Staff reach their pages from home or 我的: fetch the subpackage there, on Wi-Fi only.
  preloadRule: {
    "pages/index/index": { network: "wifi", packages: ["staff"] },
    "pages/my/index": { network: "wifi", packages: ["staff"] },
  },
  window: {
    backgroundTextStyle: "light",
    navigationBarBackgroundColor: "#1f8a70",
    navigationBarTitleText: "家医",
    navigationBarTextStyle: "white",
    backgroundColor: "#f4f6f5",
  },
});
