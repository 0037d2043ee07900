export default definePageConfig({
  navigationBarTitleText: "区卫健委",
});
