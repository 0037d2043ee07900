export default definePageConfig({
  navigationBarTitleText: "邀请团队成员",
});
