export default definePageConfig({
  navigationBarTitleText: "团队工作台",
});
