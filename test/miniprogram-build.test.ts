import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The WeChat build of the mini-program: `taro build --type weapp` must succeed and produce every page
 * declared in src/app.config.ts, each with its script, config and template.
 */
const run = promisify(execFile);
const miniprogram = fileURLToPath(new URL("../miniprogram/", import.meta.url));
const dist = path.join(miniprogram, "dist", "weapp");

/** The `pages` array of src/app.config.ts, read as text (it calls Taro's global defineAppConfig). */
function declaredPages(): string[] {
  const source = readFileSync(path.join(miniprogram, "src", "app.config.ts"), "utf8");
  const block = /pages\s*:\s*\[([\s\S]*?)\]/.exec(source)?.[1];
  if (!block) throw new Error("no pages array in src/app.config.ts");
  return [...block.matchAll(/["']([^"']+)["']/g)].map((m) => m[1] as string);
}

describe("mini-program weapp build", () => {
  let build: { stdout: string; stderr: string };

  beforeAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    build = await run("npx", ["--no-install", "taro", "build", "--type", "weapp"], {
      cwd: miniprogram,
      env: { ...process.env, NODE_ENV: "production", CI: "true" },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 170_000,
    });
  }, 180_000);

  it("writes app.json listing exactly the pages declared in src/app.config.ts", () => {
    const appJson = JSON.parse(readFileSync(path.join(dist, "app.json"), "utf8")) as { pages: string[] };
    const declared = declaredPages();
    expect(declared.length).toBeGreaterThan(0);
    expect(appJson.pages).toEqual(declared);
    expect(appJson.pages[0]).toBe("pages/index/index");
  });

  it("emits a script, config and template for every page", () => {
    const missing = declaredPages().flatMap((page) =>
      [".js", ".json", ".wxml"]
        .map((ext) => `${page}${ext}`)
        .filter((file) => !existsSync(path.join(dist, file))),
    );
    expect(missing, `build output:\n${build.stdout.slice(-2000)}\n${build.stderr.slice(-2000)}`).toEqual([]);
  });

  it("gives every page a Chinese navigation bar title", () => {
    for (const page of declaredPages()) {
      const config = JSON.parse(readFileSync(path.join(dist, `${page}.json`), "utf8")) as {
        navigationBarTitleText?: string;
      };
      expect(config.navigationBarTitleText, page).toMatch(/\p{Script=Han}/u);
    }
  });
});
