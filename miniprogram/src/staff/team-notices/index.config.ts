export default definePageConfig({
  navigationBarTitleText: "通知与讲座",
});
