export default definePageConfig({
  // Pull down to refresh the list (usePullToRefresh stops the spinner when the reload settles).
  enablePullDownRefresh: true,
  navigationBarTitleText: "通知与讲座",
});
