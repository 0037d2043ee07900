export default defineAppConfig({
  pages: [
    "pages/index/index",
    "pages/consent/index",
    "pages/login/index",
    "pages/profile/index",
    "pages/family/index",
    "pages/my/index",
    "pages/sign/index",
    "pages/contracts/index",
    "pages/team/index",
    "pages/coming-soon/index",
  ],
  window: {
    backgroundTextStyle: "light",
    navigationBarBackgroundColor: "#1f8a70",
    navigationBarTitleText: "家医",
    navigationBarTextStyle: "white",
    backgroundColor: "#f4f6f5",
  },
});
