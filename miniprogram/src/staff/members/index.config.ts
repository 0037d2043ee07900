export default definePageConfig({
  navigationBarTitleText: "团队成员管理",
});
