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
        "check-in/index",
        "survey-create/index",
        "survey-results/index",
        "follow-ups/index",
        "my-follow-ups/index",
        "settings/index",
        "district/index",
      ],
    },
  ],
  // Staff reach their pages from home or 我的: fetch the subpackage there, on Wi-Fi only.
  preloadRule: {
    "pages/index/index": { network: "wifi", packages: ["staff"] },
    "pages/my/index": { network: "wifi", packages: ["staff"] },
  },
  // 首页 / 预约 / 消息 / 我的: the resident's four places, one tap each; 消息 carries the unread badge.
  tabBar: {
    color: "#5f6b66",
    selectedColor: "#1f8a70",
    backgroundColor: "#ffffff",
    borderStyle: "black",
    list: [
      {
        pagePath: "pages/index/index",
        text: "首页",
        iconPath: "assets/tabbar/home.png",
        selectedIconPath: "assets/tabbar/home-on.png",
      },
      {
        pagePath: "pages/appointments/index",
        text: "预约",
        iconPath: "assets/tabbar/visit.png",
        selectedIconPath: "assets/tabbar/visit-on.png",
      },
      {
        pagePath: "pages/notices/index",
        text: "消息",
        iconPath: "assets/tabbar/inbox.png",
        selectedIconPath: "assets/tabbar/inbox-on.png",
      },
      {
        pagePath: "pages/my/index",
        text: "我的",
        iconPath: "assets/tabbar/me.png",
        selectedIconPath: "assets/tabbar/me-on.png",
      },
    ],
  },
  window: {
    backgroundTextStyle: "light",
    navigationBarBackgroundColor: "#1f8a70",
    navigationBarTitleText: "家医",
    navigationBarTextStyle: "white",
    backgroundColor: "#f4f6f5",
    // Also on H5, where Taro's router then draws the bar with its back and home buttons.
    navigationStyle: "default",
  },
});
