export default definePageConfig({
  navigationBarTitleText: "发布排班",
});
