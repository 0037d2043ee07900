import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The WeChat build of the mini-program: a production `taro build --type weapp` with the release
 * settings (AppID, API URL) must produce every page declared in src/app.config.ts (main package
 * and subpackages), keep WeChat's package limits with room to spare, and refuse to build without
 * those settings.
 */
const run = promisify(execFile);
const miniprogram = fileURLToPath(new URL("../miniprogram/", import.meta.url));
const dist = path.join(miniprogram, "dist", "weapp");
const APP_ID = "wx0123456789abcdef";
const API_URL = "https://api.jiayi.test";
/** WeChat allows 2 MB per package and 20 MB in all; these are this project's own, stricter budgets. */
const MAIN_BUDGET = 1.5 * 1024 * 1024;
const TOTAL_BUDGET = 4 * 1024 * 1024;

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  preloadRule?: Record<string, { packages: string[] }>;
}

/** The pages and subpackages of src/app.config.ts, read as text (it calls Taro's global defineAppConfig). */
function declared(): { pages: string[]; subPackages: { root: string; pages: string[] }[] } {
  const source = readFileSync(path.join(miniprogram, "src", "app.config.ts"), "utf8");
  const strings = (block: string | undefined) =>
    [...(block ?? "").matchAll(/["']([^"']+)["']/g)].map((m) => m[1] as string);
  const pages = strings(/\bpages\s*:\s*\[([\s\S]*?)\]/.exec(source)?.[1]);
  if (pages.length === 0) throw new Error("no pages array in src/app.config.ts");
  const subPackages = [
    ...source.matchAll(/root\s*:\s*["']([^"']+)["'][\s\S]*?pages\s*:\s*\[([\s\S]*?)\]/g),
  ].map((m) => ({
    root: m[1] as string,
    pages: strings(m[2]),
  }));
  return { pages, subPackages };
}

const allPages = () => {
  const { pages, subPackages } = declared();
  return [...pages, ...subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
};

/** Bytes of every file under `dir` (recursively), as WeChat counts a package. */
function sizeOf(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? sizeOf(full) : statSync(full).size);
  }, 0);
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

describe("mini-program weapp build", () => {
  let build: { stdout: string; stderr: string };

  beforeAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    build = await run("npx", ["--no-install", "taro", "build", "--type", "weapp"], {
      cwd: miniprogram,
      env: {
        ...process.env,
        NODE_ENV: "production",
        CI: "true",
        TARO_APP_ID: APP_ID,
        JIAYI_API_BASE_URL: API_URL,
      },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 170_000,
    });
  }, 180_000);

  it("writes app.json listing exactly the pages and subpackages declared in src/app.config.ts", () => {
    const appJson = JSON.parse(readFileSync(path.join(dist, "app.json"), "utf8")) as AppJson;
    const { pages, subPackages } = declared();
    expect(pages.length).toBeGreaterThan(0);
    expect(appJson.pages).toEqual(pages);
    expect(appJson.pages[0]).toBe("pages/index/index");
    expect(appJson.subPackages?.map((s) => ({ root: s.root, pages: s.pages }))).toEqual(subPackages);
  });

  it("keeps staff and manager pages in a preloaded subpackage, out of the main package", () => {
    const appJson = JSON.parse(readFileSync(path.join(dist, "app.json"), "utf8")) as AppJson;
    const staff = appJson.subPackages?.find((s) => s.root === "staff");
    expect(staff?.pages).toEqual(
      expect.arrayContaining(["team/index", "invitations/index", "members/index", "claim/index"]),
    );
    expect(appJson.pages.some((p) => /team|dashboard|schedule|invitations|members/.test(p))).toBe(false);
    const preloaded = Object.values(appJson.preloadRule ?? {}).flatMap((r) => r.packages);
    expect(preloaded).toContain("staff");
    // The coming-soon placeholder is gone.
    expect(allPages().some((p) => p.includes("coming-soon"))).toBe(false);
  });

  it("emits a script, config and template for every page", () => {
    const missing = allPages().flatMap((page) =>
      [".js", ".json", ".wxml"]
        .map((ext) => `${page}${ext}`)
        .filter((file) => !existsSync(path.join(dist, file))),
    );
    expect(missing, `build output:\n${build.stdout.slice(-2000)}\n${build.stderr.slice(-2000)}`).toEqual([]);
  });

  it("gives every page a Chinese navigation bar title", () => {
    for (const page of allPages()) {
      const config = JSON.parse(readFileSync(path.join(dist, `${page}.json`), "utf8")) as {
        navigationBarTitleText?: string;
      };
      expect(config.navigationBarTitleText, page).toMatch(/\p{Script=Han}/u);
    }
  });

  it("lets notices and lectures be forwarded (enableShareAppMessage reaches the page's runtime config)", () => {
    // Taro moves the flag into the page's createPageConfig call, which then defines onShareAppMessage.
    const flag = /enableShareAppMessage:(!0|true)/;
    for (const page of ["pages/notice/index", "pages/notices/index"])
      expect(readFileSync(path.join(dist, `${page}.js`), "utf8"), page).toMatch(flag);
    expect(readFileSync(path.join(dist, "pages/profile/index.js"), "utf8")).not.toMatch(flag);
  });

  it("keeps the main package under 1.5 MB and the whole app under 4 MB", () => {
    const { subPackages } = declared();
    const total = sizeOf(dist) - statSync(path.join(dist, "project.config.json")).size;
    const sub = subPackages.map((s) => ({ root: s.root, size: sizeOf(path.join(dist, s.root)) }));
    const main = total - sub.reduce((sum, s) => sum + s.size, 0);
    console.info(
      `weapp packages: main ${kb(main)}, ${sub.map((s) => `${s.root} ${kb(s.size)}`).join(", ")}, total ${kb(total)}`,
    );
    expect(sub.every((s) => s.size > 0)).toBe(true);
    expect(main).toBeLessThan(MAIN_BUDGET);
    expect(total).toBeLessThan(TOTAL_BUDGET);
  });

  it("writes the AppID from TARO_APP_ID and the API URL into the build, no tourist AppID", () => {
    const project = JSON.parse(readFileSync(path.join(dist, "project.config.json"), "utf8")) as {
      appid?: string;
    };
    expect(project.appid).toBe(APP_ID);
    const source = JSON.parse(readFileSync(path.join(miniprogram, "project.config.json"), "utf8")) as {
      appid?: string;
    };
    expect(source.appid).toBeUndefined();
    const scripts = readdirSync(dist).filter((f) => f.endsWith(".js"));
    expect(scripts.some((f) => readFileSync(path.join(dist, f), "utf8").includes(API_URL))).toBe(true);
  });

  it.each([
    ["without an AppID", { JIAYI_API_BASE_URL: API_URL }, /TARO_APP_ID is not set/],
    ["without an API URL", { TARO_APP_ID: APP_ID }, /JIAYI_API_BASE_URL is not set/],
    [
      "with an http API URL",
      { TARO_APP_ID: APP_ID, JIAYI_API_BASE_URL: "http://api.jiayi.test" },
      /not an https URL/,
    ],
  ])(
    "refuses a production build %s, saying which setting is missing",
    async (_name, settings, message) => {
      const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", CI: "true", ...settings };
      if (!("TARO_APP_ID" in settings)) delete env.TARO_APP_ID;
      if (!("JIAYI_API_BASE_URL" in settings)) delete env.JIAYI_API_BASE_URL;
      const failed = await run("npx", ["--no-install", "taro", "build", "--type", "weapp"], {
        cwd: miniprogram,
        env,
        maxBuffer: 16 * 1024 * 1024,
        timeout: 60_000,
      }).then(
        () => null,
        (error: { code?: number; stdout?: string; stderr?: string }) => error,
      );
      expect(failed, "the build succeeded").not.toBeNull();
      expect(failed?.code).not.toBe(0);
      expect(`${failed?.stdout}\n${failed?.stderr}`).toMatch(/Refusing a production weapp build/);
      expect(`${failed?.stdout}\n${failed?.stderr}`).toMatch(message);
      // Refused before anything was cleaned or written: the checked build above is still there.
      expect(existsSync(path.join(dist, "app.json"))).toBe(true);
    },
    70_000,
  );
});
