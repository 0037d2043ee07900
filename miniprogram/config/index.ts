import path from "node:path";
import { defineConfig, type UserConfigExport } from "@tarojs/cli";

/**
 * Build configuration for the Jiayi mini-program (weapp) and its H5 twin.
 *
 * API_BASE_URL is fixed at build time:
 * - H5 defaults to "" so requests go to the same origin (`/v1/...`) served by the local gateway;
 * - weapp needs an absolute https URL: set JIAYI_API_BASE_URL when building.
 */
const taroEnv = process.env.TARO_ENV ?? "weapp";
const isWeapp = taroEnv === "weapp";
const apiBaseUrl = (
  process.env.JIAYI_API_BASE_URL ?? (isWeapp ? "https://api.jiayi.example.cn" : "")
).replace(/\/+$/, "");
if (isWeapp && !apiBaseUrl.startsWith("https://")) {
  throw new Error(`JIAYI_API_BASE_URL must be an https URL for weapp builds, got "${apiBaseUrl}"`);
}

const repoShared = path.resolve(__dirname, "..", "..", "shared");

export default defineConfig<"webpack5">(() => {
  const config: UserConfigExport<"webpack5"> = {
    projectName: "jiayi-miniprogram",
    date: "2025-11-23",
    // The project's own styles are written against a 750px design; NutUI's against 375px.
    designWidth(input) {
      const file = typeof input === "object" && input?.file ? input.file.replace(/\\+/g, "/") : "";
      return file.includes("@nutui") ? 375 : 750;
    },
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: "src",
    outputRoot: `dist/${taroEnv}`,
    plugins: [],
    defineConstants: {
      API_BASE_URL: JSON.stringify(apiBaseUrl),
    },
    alias: {
      "@shared": repoShared,
    },
    copy: { patterns: [], options: {} },
    framework: "react",
    compiler: { type: "webpack5", prebundle: { enable: false } },
    cache: { enable: false },
    mini: {
      // Run the repo's shared/ TypeScript (outside sourceRoot) through Babel too.
      compile: { include: [repoShared] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: "module", generateScopedName: "[name]__[local]___[hash:base64:5]" },
        },
      },
      webpackChain(chain) {
        // shared/ is written as NodeNext ESM (`./enums.js` imports of .ts files).
        chain.resolve.merge({ extensionAlias: { ".js": [".ts", ".js"] } });
      },
    },
    h5: {
      compile: { include: [repoShared] },
      publicPath: "/",
      staticDirectory: "static",
      // Same React components as the unit tests (@tarojs/components-react): plain <input>/<button>.
      useHtmlComponents: true,
      router: { mode: "hash" },
      output: {
        filename: "js/[name].[hash:8].js",
        chunkFilename: "js/[name].[chunkhash:8].js",
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: "css/[name].[hash].css",
        chunkFilename: "css/[name].[chunkhash].css",
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: "module", generateScopedName: "[name]__[local]___[hash:base64:5]" },
        },
      },
      webpackChain(chain) {
        chain.resolve.merge({ extensionAlias: { ".js": [".ts", ".js"] } });
        // Taro splits only initial chunks on H5, so every lazily loaded page would carry its own
        // copy of NutUI and the shared components: share them across pages instead.
        const splitChunks = chain.optimization.get("splitChunks");
        if (splitChunks) chain.optimization.splitChunks({ ...splitChunks, chunks: "all" });
      },
    },
  };
  return config;
});
