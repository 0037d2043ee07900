export default definePageConfig({
  navigationBarTitleText: "健康通知",
});
