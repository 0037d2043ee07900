export default definePageConfig({
  navigationBarTitleText: "满意度与月报",
});
