export default definePageConfig({
  navigationBarTitleText: "签约家庭医生",
});
