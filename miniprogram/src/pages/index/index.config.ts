export default definePageConfig({
  navigationBarTitleText: "家医",
});
