import path from "node:path";
import { defineConfig, type UserConfigExport } from "@tarojs/cli";

/**
 * Build configuration for the Jiayi mini-program (weapp) and its H5 twin.
 *
 * Release settings come from the build environment, never from the repository:
 * - TARO_APP_ID: the mini-program's AppID (WeChat console → 开发管理 → 开发设置); Taro writes it
 *   into dist/weapp/project.config.json.
 * - JIAYI_API_BASE_URL: the deployed API. H5 defaults to "" (same origin `/v1/...`, served by the
 *   local gateway); a weapp build needs an absolute URL, https for production.
 * A production weapp build (NODE_ENV=production, what `taro build` without --watch runs) without
 * them stops here with a message naming each missing setting. A development weapp build (--watch)
 * falls back to the local stack on http://127.0.0.1:3000 and no AppID (the devtools' test mode).
 */
const taroEnv = process.env.TARO_ENV ?? "weapp";
const isWeapp = taroEnv === "weapp";
const production = process.env.NODE_ENV === "production" || !process.argv.includes("--watch");
const appId = process.env.TARO_APP_ID?.trim() ?? "";
const configuredApiBaseUrl = process.env.JIAYI_API_BASE_URL?.trim() ?? "";

export function releaseProblems(env: { appId: string; apiBaseUrl: string }): string[] {
  const problems: string[] = [];
  if (!/^wx[0-9a-f]{16}$/.test(env.appId))
    problems.push(
      env.appId
        ? `TARO_APP_ID "${env.appId}" is not a mini-program AppID (wx followed by 16 hex digits)`
        : "TARO_APP_ID is not set: the mini-program's AppID (WeChat console → 开发管理 → 开发设置)",
    );
  if (!/^https:\/\/[^/\s]+/.test(env.apiBaseUrl))
    problems.push(
      env.apiBaseUrl
        ? `JIAYI_API_BASE_URL "${env.apiBaseUrl}" is not an https URL`
        : "JIAYI_API_BASE_URL is not set: the deployed API's https URL (e.g. https://api.example.cn)",
    );
  return problems;
}

if (isWeapp && production) {
  const problems = releaseProblems({ appId, apiBaseUrl: configuredApiBaseUrl });
  if (problems.length > 0)
    throw new Error(
      `Refusing a production weapp build:\n- ${problems.join("\n- ")}\n` +
        "Set them in the build environment (see README, Configuration), or build for development with --watch.",
    );
}
const apiBaseUrl = (configuredApiBaseUrl || (isWeapp ? "http://127.0.0.1:3000" : "")).replace(/\/+$/, "");

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
