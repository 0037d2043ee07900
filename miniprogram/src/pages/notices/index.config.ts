export default definePageConfig({
  // A family member may forward a lecture (useShareAppMessage gives the title and path).
  enableShareAppMessage: true,
  navigationBarTitleText: "健康通知",
});
