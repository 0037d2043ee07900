/**
 * How every function is bundled, in one place: the CDK stack's NodejsFunction and the local runtime
 * (which runs the same bundles) both read this, so a bundling mistake fails locally as it would on AWS.
 */
export const BUNDLING = {
  format: "esm",
  target: "node22",
  // ESM builds of dependencies: smaller, and no "Dynamic require of node:https" from SDK v3.
  mainFields: ["module", "main"],
  // CommonJS dependencies bundled into ESM still call require(); give them one.
  banner:
    'import { createRequire as topLevelCreateRequire } from "node:module"; const require = topLevelCreateRequire(import.meta.url);',
  minify: true,
  sourceMap: true,
  // The runtime ships SDK v3; bundling our own copy only adds cold-start weight.
  external: ["@aws-sdk/*"],
} as const;
