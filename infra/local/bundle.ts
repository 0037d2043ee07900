import { join } from "node:path";
import { build } from "esbuild";
import type { FunctionContract } from "../../functions/deployment.js";
import { BUNDLING } from "../bundling.js";

/**
 * Bundles every function as the stack deploys it (infra/bundling.ts), so the local runtime runs the
 * same single-file ESM bundles Lambda does, with the SDK left to node_modules as the runtime's own.
 * The bundles live under .cache/ inside the repo so that node_modules resolves from them.
 */
export async function bundleFunctions(
  contracts: readonly FunctionContract[],
  options: { functionsDir: string; outDir: string },
): Promise<Map<string, string>> {
  const outfiles = new Map<string, string>();
  await Promise.all(
    contracts.map(async (fn) => {
      const outfile = join(options.outDir, `${fn.name}.mjs`);
      await build({
        entryPoints: [join(options.functionsDir, `${fn.entry}.ts`)],
        outfile,
        bundle: true,
        platform: "node",
        format: BUNDLING.format,
        target: BUNDLING.target,
        mainFields: [...BUNDLING.mainFields],
        banner: { js: BUNDLING.banner },
        minify: BUNDLING.minify,
        sourcemap: BUNDLING.sourceMap,
        external: [...BUNDLING.external],
        logLevel: "error",
      });
      outfiles.set(fn.name, outfile);
    }),
  );
  return outfiles;
}
