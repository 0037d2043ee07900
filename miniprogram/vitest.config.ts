import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Component tests of the mini-program against Taro's H5 implementation (TOOLING.md recipe):
 * `@tarojs/components` → `@tarojs/components-react` (plain DOM elements), `@tarojs/taro` → a shim
 * over `@tarojs/taro-h5`, and the build-time flags Taro's runtime expects.
 */
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  // Taro's published source maps point at files it does not ship: keep the output readable.
  logLevel: "error",
  resolve: {
    alias: [
      { find: /^@tarojs\/components$/, replacement: "@tarojs/components-react" },
      {
        find: /^@tarojs\/taro$/,
        replacement: fileURLToPath(new URL("./test-support/taro.ts", import.meta.url)),
      },
      { find: /^@shared\//, replacement: fileURLToPath(new URL("../shared/", import.meta.url)) },
    ],
  },
  define: {
    "process.env.TARO_ENV": JSON.stringify("h5"),
    "process.env.TARO_PLATFORM": JSON.stringify("web"),
    "process.env.FRAMEWORK": JSON.stringify("react"),
    "process.env.SUPPORT_TARO_POLYFILL": JSON.stringify("disabled"),
    API_BASE_URL: JSON.stringify(""),
    DEPRECATED_ADAPTER_COMPONENT: "false",
    ENABLE_INNER_HTML: "true",
    ENABLE_ADJACENT_HTML: "true",
    ENABLE_SIZE_APIS: "true",
    ENABLE_TEMPLATE_CONTENT: "true",
    ENABLE_CLONE_NODE: "true",
    ENABLE_CONTAINS: "true",
    ENABLE_MUTATION_OBSERVER: "true",
  },
  oxc: { jsx: { runtime: "automatic", importSource: "react" } },
  test: {
    name: "miniprogram",
    root,
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["./test-support/setup.ts"],
    css: false,
    // Taro and NutUI ship ESM that imports `@tarojs/components` / `@tarojs/taro`: run them through
    // Vite so the aliases above apply inside them too.
    server: { deps: { inline: [/@tarojs\//, /@nutui\//] } },
    testTimeout: 15000,
  },
});
