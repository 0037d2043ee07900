export default definePageConfig({
  navigationBarTitleText: "团队工作台",
  // Pull down to refresh the lists (usePullToRefresh stops the spinner when the reload settles).
  enablePullDownRefresh: true,
});
