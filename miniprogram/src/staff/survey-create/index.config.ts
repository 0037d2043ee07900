export default definePageConfig({
  navigationBarTitleText: "创建问卷",
});
