import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractEndDate, todayInChina } from "../../shared/dates.js";
import {
  api,
  devLogin,
  eventuallyFound,
  idNumberFor,
  randomPhone,
  stack,
  uniqueOpenid,
} from "../support/api.js";
import { inboxTitles, publish, tomorrow } from "../support/appointments.js";
import {
  type BrowserSession,
  chromiumAvailable,
  contrastProblems,
  ensureH5Build,
  openBrowser,
  pullDown,
  screenshot,
} from "../support/browser.js";
import { applyBody, newTeamWithDoctor } from "../support/contracts.js";
import { published } from "../support/notices.js";
import { completedVisit } from "../support/surveys.js";

/**
 * End to end in headless Chromium against the H5 build served by the local stack (same origin as the
 * API): a new resident consents, logs in, registers, signs with the first demo team; the team's
 * doctor approves; the resident sees the running contract; the doctor records a service; the
 * resident asks to end the contract and the team confirms; a signed resident of a fresh team books
 * a slot, finds it under 我的预约 and cancels it, and the place is free again; the doctor publishes a
 * health lecture that a resident of the team reads and registers for, and the stats count both; a
 * resident rates a completed visit and the manager's dashboard counts the response and draws its
 * charts; the manager sends a manual survey to a team, its resident answers it and the results show
 * the response rate; demo-district opens the district dashboard with both centres. Scenarios run in
 * order in this one file (they share the resident), so the H5 build happens once.
 */
const available = chromiumAvailable();

const WAIT = 20_000;
const base = () => stack().url;

async function open(page: Page, route: string) {
  await page.goto(`${base()}/#${route}`, { waitUntil: "domcontentloaded", timeout: WAIT });
}

/** A title of the team desk's tab strip (NutUI Tabs), by its label; the count follows it. */
function teamTab(page: Page, label: string) {
  return page.locator("#team-tabs .nut-tabs-titles-item").filter({ hasText: label });
}

async function visibleText(page: Page, selector: string): Promise<string> {
  const locator = page.locator(selector).first();
  await locator.waitFor({ state: "visible", timeout: WAIT });
  return ((await locator.textContent()) ?? "").trim();
}

/** The privacy consent (both ticks), then the login page of the H5 build (dev login). */
async function consentThenLogin(page: Page) {
  await page.locator("#consent-privacy").click({ timeout: WAIT });
  await page.locator("#consent-health").click();
  await page.locator("#consent-accept").click();
  await page.locator("#login-openid").waitFor({ state: "visible", timeout: WAIT });
}

/** Bounded check that a PNG is a real picture of the page, not an empty frame. */
async function expectScreenshot(page: Page, name: string) {
  const size = await screenshot(page, name);
  expect(size, `.test-output/e2e-${name}.png`).toBeGreaterThan(10 * 1024);
}

/** A resident with a known openid (to log in in the browser), signed with `teamId` through the API. */
async function signedWithOpenid(teamId: string, doctorToken: string, name: string, birthDate: string) {
  const openid = uniqueOpenid("e2e-signed");
  const token = await devLogin(openid);
  const profile = await api("PUT", "/v1/me/profile", {
    token,
    body: {
      name,
      idType: "resident_id_card",
      idNumber: idNumberFor(birthDate, "female"),
      phone: randomPhone(),
      neighbourhoodId: "n_demo_1",
      address: "和平里三区 7 号楼 1 单元 201",
      consents: { privacyPolicyVersion: "2026-01", healthData: true },
    },
  });
  expect(profile.status).toBe(200);
  const residentId = profile.body.residentId as string;
  const applied = await api("POST", "/v1/contracts", { token, body: applyBody(residentId, teamId) });
  expect(applied.status).toBe(201);
  const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, {
    token: doctorToken,
  });
  expect(approved.status).toBe(200);
  return { openid, token, residentId, name };
}

/** Logs a user in through the login page of a fresh browser (consent first) and waits for home. */
async function loginInBrowser(session: BrowserSession, openid: string) {
  const { page } = session;
  await open(page, "/pages/login/index");
  await consentThenLogin(page);
  await page.locator("#login-openid").fill(openid);
  await page.locator("#login-submit").click();
  await page.locator("#home-greeting").waitFor({ state: "visible", timeout: WAIT });
}

const resident = {
  openid: uniqueOpenid("e2e-resident"),
  name: "周淑芬",
  birthDate: "1956-03-08",
  idNumber: idNumberFor("1956-03-08", "female"),
  phone: randomPhone(),
  contractId: "",
};

describe.skipIf(!available)("H5 app in headless Chromium", () => {
  let residentBrowser: BrowserSession;
  let doctorBrowser: BrowserSession | undefined;

  beforeAll(async () => {
    await ensureH5Build();
    residentBrowser = await openBrowser("resident");
  }, 300_000);

  afterAll(async () => {
    await doctorBrowser?.close();
    await residentBrowser?.close();
  });

  describe("a. identity", () => {
    it("consent → dev login as a new resident → profile → only masked identifiers on the page", async () => {
      const { page } = residentBrowser;
      // Prepare: the home page of a visitor.
      await open(page, "/pages/index/index");
      await page.locator("#home-login").click({ timeout: WAIT });

      // Act: consent, log in with a new openid, fill the profile.
      await consentThenLogin(page);
      await page.locator("#login-openid").fill(resident.openid);
      await page.locator("#login-submit").click();
      await page.locator("#profile-form").waitFor({ state: "visible", timeout: WAIT });
      await page.locator("#profile-name").fill(resident.name);
      await page.locator("#profile-idNumber").fill(resident.idNumber);
      await page.locator("#profile-phone").fill(resident.phone);
      await page.locator("#profile-neighbourhood-n_demo_1").click();
      await page.locator("#profile-address").fill("和平里一区 3 号楼 2 单元 501");
      await page.locator("#profile-submit").click();

      // Assess
      const masked = await visibleText(page, "#profile-idNumberMasked");
      expect(masked).toMatch(/^\d{3}\*+[\dX]{4}$/);
      expect(masked).toBe(`${resident.idNumber.slice(0, 3)}${"*".repeat(11)}${resident.idNumber.slice(-4)}`);
      const phoneMasked = await visibleText(page, "#profile-phoneMasked");
      expect(phoneMasked).toBe(`${resident.phone.slice(0, 3)}****${resident.phone.slice(-4)}`);
      // textContent: every page Taro keeps in the DOM, shown or hidden.
      const text = (await page.locator("body").textContent()) ?? "";
      const html = await page.content();
      for (const raw of [resident.idNumber, resident.phone]) {
        expect(text).not.toContain(raw);
        expect(html).not.toContain(raw);
      }
      expect(await visibleText(page, "#profile-birthDate")).toBe(resident.birthDate);
      await expectScreenshot(page, "identity");
      expect(residentBrowser.pageErrors).toEqual([]);
    }, 90_000);
  });

  describe("b. contracts", () => {
    it("the resident signs with 第一家庭医生团队 and waits for review", async () => {
      const { page } = residentBrowser;
      await open(page, "/pages/index/index");
      // No contract yet: the tile opens the signing page.
      await page
        .locator('#home-tile-contract[data-url="/pages/sign/index"]')
        .waitFor({ state: "visible", timeout: WAIT });
      await page.locator("#home-tile-contract").click();
      await page.locator("#sign-team-t_demo_1").waitFor({ state: "visible", timeout: WAIT });

      // A 70-year-old is offered the elderly package, not the child one; the basic one is fixed.
      expect(await page.locator("#sign-package-p_child").count()).toBe(0);
      expect(await visibleText(page, "#sign-package-p_basic")).toContain("基础包 · 必选");
      await page.locator("#sign-people .choice").first().click();
      await page.locator("#sign-team-t_demo_1").click();
      await page.locator("#sign-package-p_elderly").click();
      expect(await visibleText(page, "#sign-agreement-team")).toBe("第一家庭医生团队");
      expect(await visibleText(page, "#sign-agreement-person")).toContain("周*芬");
      expect(await visibleText(page, "#sign-agreement-term")).toBe("审核通过之日起一年，到期自动续约");
      expect(await page.locator("#sign-submit").getAttribute("class")).toContain("disabled");

      await page.locator("#sign-agree").click();
      await expectScreenshot(page, "sign-form");
      await expect
        .poll(async () => page.locator("#sign-submit").getAttribute("class"), { timeout: WAIT })
        .not.toContain("disabled");
      const applied = page.waitForResponse(
        (r) => new URL(r.url()).pathname === "/v1/contracts" && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator("#sign-submit").click();
      const response = await applied;
      expect(response.status()).toBe(201);
      resident.contractId = ((await response.json()) as { contractId: string }).contractId;

      expect(await visibleText(page, "#sign-success")).toContain("已提交，等待团队审核（通常 72 小时内）");
      await expectScreenshot(page, "sign");
    }, 90_000);

    it("demo-doctor-1 approves the application on the team page", async () => {
      doctorBrowser = await openBrowser("doctor");
      const { page } = doctorBrowser;
      await open(page, "/pages/login/index");
      await consentThenLogin(page);
      await page.locator("#login-demo-doctor-1").click();
      // Staff land on the home page, which offers them the team workbench.
      await page.locator("#home-tile-team").click({ timeout: WAIT });
      await teamTab(page, "待审核").waitFor({ state: "visible", timeout: WAIT });

      // Other tests apply to this team too: page through the pending list (bounded) to ours.
      const card = page.locator(`#team-pending-${resident.contractId}`);
      for (let i = 0; i < 20 && (await card.count()) === 0; i++) {
        const more = page.locator("#team-pending-more");
        if ((await more.count()) === 0) break;
        await more.click();
        await page.waitForTimeout(300);
      }
      await card.waitFor({ state: "visible", timeout: WAIT });
      expect(await card.textContent()).toContain(resident.name);
      expect(await card.textContent()).not.toContain(resident.idNumber);

      const approved = page.waitForResponse(
        (r) => new URL(r.url()).pathname === `/v1/contracts/${resident.contractId}/approve`,
        { timeout: WAIT },
      );
      await page.locator(`#team-approve-${resident.contractId}`).click();
      expect((await approved).status()).toBe(200);
      await card.waitFor({ state: "detached", timeout: WAIT });

      await teamTab(page, "已签约").click();
      await page.locator("#team-active").waitFor({ state: "visible", timeout: WAIT });
      await expectScreenshot(page, "team");
      expect(doctorBrowser.pageErrors).toEqual([]);
    }, 90_000);

    it("the resident sees the active contract: today to a year later minus a day, 年度健康评估 0/1", async () => {
      const { page } = residentBrowser;
      const today = todayInChina();
      await open(page, "/pages/index/index");
      // Signed now: once the home page knows it, the same tile opens 我的签约.
      await page
        .locator('#home-tile-contract[data-url="/pages/contracts/index"]')
        .waitFor({ state: "visible", timeout: WAIT });
      await page.locator("#home-tile-contract").click();
      await page.locator("#contracts").waitFor({ state: "visible", timeout: WAIT });

      const prefix = `#contract-${resident.contractId}`;
      expect(await visibleText(page, `${prefix}-status`)).toBe("已签约");
      expect(await visibleText(page, `${prefix}-title`)).toBe("第一家庭医生团队");
      expect(await visibleText(page, `${prefix}-start`)).toBe(today);
      expect(await visibleText(page, `${prefix}-end`)).toBe(contractEndDate(today));
      expect(await visibleText(page, `${prefix}-entitlement-annual_assessment`)).toContain("年度健康评估");
      expect(await visibleText(page, `${prefix}-entitlement-annual_assessment-count`)).toBe("0/1");
      expect(await visibleText(page, `${prefix}-entitlement-home_visit-count`)).toBe("0/2");

      // The history folds open and shows the application and the approval.
      await page.locator(`${prefix}-history-toggle`).click();
      const history = await visibleText(page, `${prefix}-history-list .history__item:nth-child(2)`);
      expect(history).toContain("团队审核通过");
      expect(await page.locator("body").textContent()).not.toContain(resident.idNumber);
      await expectScreenshot(page, "contracts");
      expect(residentBrowser.pageErrors).toEqual([]);
    }, 90_000);

    it("home is her status page: the doctor and the team's phone after approval, and the inbox says approved", async () => {
      const { page } = residentBrowser;
      await open(page, "/pages/index/index");
      const card = page.locator('#home-status [data-status="active"]');
      await card.waitFor({ state: "visible", timeout: WAIT });
      const cardId = (await card.getAttribute("id")) ?? "";
      expect(await visibleText(page, `#${cardId}-doctor`)).toContain("家庭医生 王建国");
      expect(await visibleText(page, `#${cardId}-phone`)).toBe("团队电话 010****2301");
      expect(await visibleText(page, `#${cardId}-detail`)).toContain(`服务期 ${todayInChina()}`);
      await page.locator(`#${cardId}-call`).waitFor({ state: "visible", timeout: WAIT });
      await expectScreenshot(page, "home-status");

      // The tabBar's 消息 tab opens the inbox, where the approval is a message of its own.
      await page.locator(".weui-tabbar__item", { hasText: "消息" }).click();
      const approved = page.locator("#inbox .inbox__item", { hasText: "签约申请已通过" });
      await approved.waitFor({ state: "visible", timeout: WAIT });
      expect(await approved.textContent()).toContain("第一家庭医生团队");
      expect(await approved.textContent()).toContain("签约结果");
      await expectScreenshot(page, "inbox-approved");
      expect(residentBrowser.pageErrors).toEqual([]);
      // Scenario c goes on from 我的签约.
      await open(page, "/pages/contracts/index");
      await page.locator("#contracts").waitFor({ state: "visible", timeout: WAIT });
    }, 90_000);
  });
  describe("c. fulfilment and termination", () => {
    it("the doctor records the annual assessment; the resident sees 1/1", async () => {
      const page = doctorBrowser?.page;
      if (!page) throw new Error("scenario b did not open the doctor's browser");
      const id = resident.contractId;
      const card = page.locator(`#team-active-${id}`);
      for (let i = 0; i < 30 && (await card.count()) === 0; i++) {
        const more = page.locator("#team-active-more");
        if ((await more.count()) === 0) break;
        await more.click();
        await page.waitForTimeout(300);
      }
      await page.locator(`#team-record-${id}`).click({ timeout: WAIT });
      await page.locator(`#team-active-${id}-record-type-annual_assessment`).click();
      await page.locator(`#team-active-${id}-record-place`).fill("中心门诊");
      await page.locator(`#team-active-${id}-record-notes`).fill("血压 135/85，嘱低盐饮食");
      const recorded = page.waitForResponse(
        (r) =>
          new URL(r.url()).pathname === `/v1/contracts/${id}/services` && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator(`#team-active-${id}-record-submit`).click();
      expect((await recorded).status()).toBe(201);
      await expect
        .poll(() => visibleText(page, `#team-active-${id}-entitlement-annual_assessment-count`), {
          timeout: WAIT,
        })
        .toBe("1/1");

      const residentPage = residentBrowser.page;
      await residentPage.reload({ waitUntil: "domcontentloaded" });
      expect(await visibleText(residentPage, `#contract-${id}-entitlement-annual_assessment-count`)).toBe(
        "1/1",
      );
    }, 90_000);

    it("the resident asks to end the contract (迁出服务区域) and the team confirms it", async () => {
      const id = resident.contractId;
      const residentPage = residentBrowser.page;
      await residentPage.locator(`#contract-${id}-terminate`).click({ timeout: WAIT });
      await residentPage.locator(`#contract-${id}-reason-moved_out`).click();
      await residentPage.locator(`#contract-${id}-terminate-submit`).click();
      await expect
        .poll(() => visibleText(residentPage, `#contract-${id}-status`), { timeout: WAIT })
        .toBe("解约中");
      expect(await visibleText(residentPage, `#contract-${id}-termination`)).toContain("迁出服务区域");

      const page = doctorBrowser?.page;
      if (!page) throw new Error("scenario b did not open the doctor's browser");
      await page.reload({ waitUntil: "domcontentloaded" });
      await teamTab(page, "解约中").click({ timeout: WAIT });
      await page.locator(`#team-confirm-termination-${id}`).click({ timeout: WAIT });
      // Taro's H5 modal asks once more.
      await page.locator(".taro__modal .taro-model__confirm").click({ timeout: WAIT });
      await page.locator(`#team-terminating-${id}`).waitFor({ state: "detached", timeout: WAIT });

      await residentPage.reload({ waitUntil: "domcontentloaded" });
      expect(await visibleText(residentPage, `#contract-${id}-status`)).toBe("已解约");
      await expectScreenshot(residentPage, "terminated");
      expect(residentBrowser.pageErrors).toEqual([]);
      expect(doctorBrowser?.pageErrors).toEqual([]);
    }, 90_000);
  });
  describe("d. appointments", () => {
    // A fresh team, so no other test books its slots; a resident signed with it through the API.
    const booker = { openid: uniqueOpenid("e2e-booker"), residentId: "", appointmentId: "" };
    let team: { teamId: string; doctor: string };
    let slot: { slotId: string; remaining: number; capacity: number };
    let bookerBrowser: BrowserSession | undefined;

    /** listSlots of tomorrow as the API answers it (the resident's own token). */
    async function remainingViaApi(token: string): Promise<number | undefined> {
      const day = tomorrow();
      const res = await api("GET", `/v1/teams/${team.teamId}/slots?from=${day}&to=${day}&limit=100`, {
        token,
      });
      expect(res.status).toBe(200);
      return (res.body.items as { slotId: string; remaining: number }[]).find((s) => s.slotId === slot.slotId)
        ?.remaining;
    }

    beforeAll(async () => {
      team = await newTeamWithDoctor();
      // Tomorrow 09:00–09:30 (well over the 2-hour cancellation deadline), three places.
      const slots = await publish(team.teamId, team.doctor, {
        startTime: "09:00",
        endTime: "09:30",
        capacity: 3,
      });
      expect(slots).toHaveLength(1);
      slot = slots[0] as typeof slot;
      expect(slot.remaining).toBe(3);

      const token = await devLogin(booker.openid);
      const profile = await api("PUT", "/v1/me/profile", {
        token,
        body: {
          name: "陈建华",
          idType: "resident_id_card",
          idNumber: idNumberFor("1962-07-15", "male"),
          phone: randomPhone(),
          neighbourhoodId: "n_demo_1",
          address: "和平里二区 5 号楼 1 单元 302",
          consents: { privacyPolicyVersion: "2026-01", healthData: true },
        },
      });
      expect(profile.status).toBe(200);
      booker.residentId = profile.body.residentId;
      const applied = await api("POST", "/v1/contracts", {
        token,
        body: applyBody(booker.residentId, team.teamId),
      });
      expect(applied.status).toBe(201);
      const approved = await api("POST", `/v1/contracts/${applied.body.contractId}/approve`, {
        token: team.doctor,
      });
      expect(approved.status).toBe(200);
    }, 60_000);

    afterAll(async () => {
      await bookerBrowser?.close();
    });

    it("a signed resident books tomorrow's slot: 剩余 3 → confirmation → 预约成功, 2 left", async () => {
      bookerBrowser = await openBrowser("booker");
      const { page } = bookerBrowser;
      await open(page, "/pages/login/index");
      await consentThenLogin(page);
      await page.locator("#login-openid").fill(booker.openid);
      await page.locator("#login-submit").click();
      // With a profile, login lands on the home page: the 预约服务 tile opens the booking page.
      await page
        .locator('#home-tile-appointment[data-url="/pages/appointments/index"]')
        .waitFor({ state: "visible", timeout: WAIT });
      await page.locator("#home-tile-appointment").click();
      await page.locator(`#appt-person-${booker.residentId}`).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, `#appt-person-${booker.residentId}`)).toContain("陈建华");
      expect(await page.locator("#appt-type-child_health").count()).toBe(0);
      expect(await page.locator("#appt-type-prenatal").count()).toBe(0);

      const day = tomorrow();
      await page.locator(`#appt-date-${day}`).click();
      await page.locator("#appt-type-consultation").click();
      const prefix = `#slot-${slot.slotId}`;
      expect(await visibleText(page, `${prefix}-remaining`)).toBe("剩余 3 个名额");
      expect(await visibleText(page, `${prefix}-time`)).toBe("09:00–09:30");
      await expectScreenshot(page, "appointments-slots");

      await page.locator(`${prefix}-book`).click();
      expect(await visibleText(page, "#appt-sheet-who")).toBe("陈建华（本人）");
      expect(await visibleText(page, "#appt-sheet-what")).toBe("全科门诊");
      expect(await visibleText(page, "#appt-sheet-when")).toContain(`${day}`);
      expect(await visibleText(page, "#appt-sheet-when")).toContain("09:00–09:30");
      await page.locator("#appt-note").fill("想咨询血压用药");
      await expectScreenshot(page, "appointments-confirm");

      const booked = page.waitForResponse(
        (r) => new URL(r.url()).pathname === "/v1/appointments" && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator("#appt-confirm").click();
      const response = await booked;
      expect(response.status()).toBe(201);
      expect(response.request().headers()["idempotency-key"]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
      booker.appointmentId = ((await response.json()) as { appointmentId: string }).appointmentId;
      expect(await visibleText(page, "#appt-success")).toContain("预约成功");
      expect(await visibleText(page, "#appt-success-detail")).toContain("09:00–09:30");
      await expectScreenshot(page, "appointments-booked");

      expect(await remainingViaApi(await devLogin(booker.openid))).toBe(2);
      expect(bookerBrowser.pageErrors).toEqual([]);
    }, 90_000);

    it("the booking shows under 我的预约 (已预约) and the resident cancels it with a reason", async () => {
      const page = bookerBrowser?.page;
      if (!page) throw new Error("the booking scenario did not open the browser");
      const id = booker.appointmentId;
      await page.locator("#appt-success-to-mine").click();
      const card = `#mine-${id}`;
      await page.locator(`#mine-upcoming ${card}`).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, `${card}-status`)).toBe("已预约");
      expect(await visibleText(page, `${card}-title`)).toBe("全科门诊");
      expect(await visibleText(page, `${card}-who`)).toBe("陈建华（本人）");
      expect(await visibleText(page, `${card}-when`)).toContain(`${tomorrow()}`);
      // Let Taro's page transition finish before the picture.
      await page.waitForTimeout(500);
      await expectScreenshot(page, "my-appointments");

      await page.locator(`${card}-cancel`).click();
      await page.locator(`${card}-cancel-reason-conflict`).click();
      const cancelled = page.waitForResponse(
        (r) => new URL(r.url()).pathname === `/v1/appointments/${id}/cancel`,
        { timeout: WAIT },
      );
      await page.locator(`${card}-cancel-submit`).click();
      expect((await cancelled).status()).toBe(200);
      await expect.poll(() => visibleText(page, `${card}-status`), { timeout: WAIT }).toBe("已取消");
      await page.locator(`#mine-past ${card}`).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, `${card}-cancellation`)).toContain("时间冲突");
      await expectScreenshot(page, "appointment-cancelled");
      expect(bookerBrowser?.pageErrors).toEqual([]);
    }, 90_000);

    it("the place is free again: 剩余 3 个名额 in the app and remaining 3 from listSlots", async () => {
      const page = bookerBrowser?.page;
      if (!page) throw new Error("the booking scenario did not open the browser");
      expect(await remainingViaApi(await devLogin(booker.openid))).toBe(3);

      // A fresh load of the booking page (Taro keeps earlier pages in the DOM otherwise).
      await open(page, "/pages/appointments/index");
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator(`#appt-date-${tomorrow()}`).click({ timeout: WAIT });
      expect(await visibleText(page, `#slot-${slot.slotId}-remaining`)).toBe("剩余 3 个名额");
      await expectScreenshot(page, "appointments-after-cancel");
      expect(bookerBrowser?.pageErrors).toEqual([]);
    }, 90_000);
  });

  describe("e. notices", () => {
    const lecture = {
      title: `高血压防治健康讲座 ${Date.now().toString(36)}`,
      body: "主讲：第一家庭医生团队。内容：血压自测、低盐饮食、按时服药。\n请携带近期血压记录。",
      venue: "中心三楼健康教室",
      noticeId: "",
      audienceSize: 0,
    };
    let reader: Awaited<ReturnType<typeof signedWithOpenid>>;
    let readerBrowser: BrowserSession | undefined;
    let doctorToken = "";

    beforeAll(async () => {
      doctorToken = await devLogin("demo-doctor-1");
      reader = await signedWithOpenid("t_demo_1", doctorToken, "刘桂英", "1950-09-12");
    }, 60_000);

    afterAll(async () => {
      await readerBrowser?.close();
    });

    it("demo-doctor-1 publishes a lecture to the team from 团队工作台 and sees the audience size", async () => {
      const page = doctorBrowser?.page;
      if (!page) throw new Error("scenario b did not open the doctor's browser");
      await open(page, "/staff/team/index");
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator("#team-to-publish-notice").click({ timeout: WAIT });
      await page.locator("#publish-form").waitFor({ state: "visible", timeout: WAIT });
      // This month's seasonal suggestions are offered (tap to prefill); ours is a lecture.
      await page.locator("#publish-kind-lecture").click();
      await page.locator("#publish-title").fill(lecture.title);
      await page.locator("#publish-body textarea").fill(lecture.body);
      await page.locator("#publish-venue").fill(lecture.venue);
      await page.locator("#publish-capacity").fill("30");
      await expectScreenshot(page, "publish-notice");

      const published = page.waitForResponse(
        (r) => new URL(r.url()).pathname === "/v1/notices" && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator("#publish-submit").click();
      // The audience size is confirmed before anything goes out.
      const confirm = page.locator(".taro__modal .taro-model__confirm").filter({ visible: true });
      await confirm.waitFor({ state: "visible", timeout: WAIT });
      expect(
        await page.locator(".taro__modal .taro-modal__text").filter({ visible: true }).textContent(),
      ).toMatch(/将发送给约 \d+ 位签约居民/);
      await expectScreenshot(page, "publish-notice-confirm");
      await confirm.click({ timeout: WAIT });
      const response = await published;
      expect(response.status()).toBe(201);
      const result = (await response.json()) as { noticeId: string; audienceSize: number };
      lecture.noticeId = result.noticeId;
      lecture.audienceSize = result.audienceSize;
      expect(result.audienceSize).toBeGreaterThanOrEqual(1);
      expect(await visibleText(page, "#publish-success-audience")).toContain(
        `受众 ${result.audienceSize} 人`,
      );
      await expectScreenshot(page, "publish-notice-done");
      expect(doctorBrowser?.pageErrors).toEqual([]);
    }, 90_000);

    it("a resident of the team sees it unread in 健康通知, opens it (read) and registers", async () => {
      // The fan-out is asynchronous: wait (bounded) until every page of the audience is done; the
      // audience the publish answer gave was an estimate, the published stats are exact.
      lecture.audienceSize = (await published(lecture.noticeId, doctorToken, 60_000)).audienceSize;
      readerBrowser = await openBrowser("reader");
      const { page } = readerBrowser;
      await loginInBrowser(readerBrowser, reader.openid);
      await page.locator("#home-tile-notices").click();
      const item = page.locator(`#inbox [data-notice="${lecture.noticeId}"]`);
      await item.waitFor({ state: "visible", timeout: WAIT });
      expect(await item.getAttribute("data-read")).toBe("no");
      const itemId = (await item.getAttribute("id")) ?? "";
      await page.locator(`#${itemId}-unread`).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, `#${itemId}-title`)).toBe(lecture.title);
      expect(await visibleText(page, "#inbox-unread")).toMatch(/^\d+ 条未读$/);
      await expectScreenshot(page, "notices-inbox");

      // Pulling the inbox down (NutUI PullToRefresh) reads it again and keeps it on screen meanwhile.
      const reread = page.waitForResponse((r) => new URL(r.url()).pathname === "/v1/me/notices", {
        timeout: WAIT,
      });
      await pullDown(page, "#notices .nut-pulltorefresh");
      expect((await reread).status()).toBe(200);
      await page
        .locator("#notices .nut-pulltorefresh-status-text", { hasText: "已刷新" })
        .waitFor({ state: "visible", timeout: WAIT });
      await item.waitFor({ state: "visible", timeout: WAIT });

      const read = page.waitForResponse(
        (r) => new URL(r.url()).pathname === `/v1/notices/${lecture.noticeId}/read`,
        { timeout: WAIT },
      );
      await item.click();
      expect((await read).status()).toBe(204);
      expect(await visibleText(page, "#notice-title")).toBe(lecture.title);
      expect(await visibleText(page, "#notice-kind")).toBe("健康讲座");
      expect(await visibleText(page, "#notice-lecture-venue")).toBe(lecture.venue);
      expect(await visibleText(page, "#notice-lecture-remaining")).toBe("剩余 30 / 30 个名额");

      const registered = page.waitForResponse(
        (r) =>
          new URL(r.url()).pathname === `/v1/notices/${lecture.noticeId}/registrations` &&
          r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator(`#notice-person-${reader.residentId}-register`).click();
      expect((await registered).status()).toBe(201);
      expect(await visibleText(page, `#notice-person-${reader.residentId}-registered`)).toBe("已报名");
      await expect
        .poll(() => visibleText(page, "#notice-lecture-remaining"), { timeout: WAIT })
        .toBe("剩余 29 / 30 个名额");
      await page.waitForTimeout(300);
      await expectScreenshot(page, "notice-registered");
      expect(readerBrowser.pageErrors).toEqual([]);
    }, 120_000);

    it("the doctor's notice stats show 1 read and 1 registered (app and noticeStats)", async () => {
      const stats = await api("GET", `/v1/notices/${lecture.noticeId}/stats`, { token: doctorToken });
      expect(stats.status).toBe(200);
      expect(stats.body).toMatchObject({ read: 1, registered: 1, delivered: lecture.audienceSize });

      const page = doctorBrowser?.page;
      if (!page) throw new Error("scenario b did not open the doctor's browser");
      await page.locator("#publish-to-list").click();
      const card = `#tn-${lecture.noticeId}`;
      await page.locator(`${card}-stats`).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, `${card}-stat-read`)).toBe("1");
      expect(await visibleText(page, `${card}-stat-registered`)).toBe("1");
      expect(await visibleText(page, `${card}-stat-delivered`)).toBe(String(lecture.audienceSize));
      await page.waitForTimeout(300);
      await expectScreenshot(page, "team-notices");
      expect(doctorBrowser?.pageErrors).toEqual([]);
    }, 90_000);

    it("check-in by the screen's rotating code moves attended (a stale or foreign code does not)", async () => {
      const page = doctorBrowser?.page;
      if (!page) throw new Error("scenario b did not open the doctor's browser");
      await page.locator(`#tn-${lecture.noticeId}-check-in`).click({ timeout: WAIT });
      await page.locator("#check-in-qr").waitFor({ state: "visible", timeout: WAIT });
      const token = (await page.locator("#check-in-rotates").getAttribute("data-token")) ?? "";
      expect(token).toMatch(/^\d+\.[A-Za-z0-9_-]{22}$/);
      expect(await visibleText(page, "#check-in-count")).toBe("已签到 0 / 报名 1");
      await expectScreenshot(page, "check-in");

      // What the resident's phone sends after Taro.scanCode read the screen (H5 has no scanner).
      const forged = await api("POST", `/v1/notices/${lecture.noticeId}/check-in`, {
        token: reader.token,
        body: { token: `${token.split(".")[0]}.AAAAAAAAAAAAAAAAAAAAAA`, residentId: reader.residentId },
      });
      expect(forged.body.error.code).toBe("CHECK_IN_INVALID");
      const scanned = await api("POST", `/v1/notices/${lecture.noticeId}/check-in`, {
        token: reader.token,
        body: { token, residentId: reader.residentId },
      });
      expect(scanned.status).toBe(200);
      const stats = await api("GET", `/v1/notices/${lecture.noticeId}/stats`, { token: doctorToken });
      expect(stats.body).toMatchObject({ registered: 1, attended: 1 });

      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator(`#check-in-${reader.residentId}-done`).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, "#check-in-count")).toBe("已签到 1 / 报名 1");
      expect(doctorBrowser?.pageErrors).toEqual([]);
    }, 90_000);
  });

  describe("f. satisfaction survey and the manager's dashboard", () => {
    let team: { teamId: string; doctor: string; manager: string };
    let rater: Awaited<ReturnType<typeof signedWithOpenid>>;
    let invitation: { invitationId: string; questions: { questionId: string; type: string }[] };
    let raterBrowser: BrowserSession | undefined;
    let managerBrowser: BrowserSession | undefined;
    const before = { centre: 0, team: 0 };

    /** satisfactionScores of the demo centre this month, grouped by team. */
    async function scores() {
      const res = await api("GET", "/v1/centres/c_demo/satisfaction?groupBy=team", { token: team.manager });
      expect(res.status).toBe(200);
      const group = (res.body.groups as { key: string; responses: number; average: number | null }[]).find(
        (g) => g.key === team.teamId,
      );
      return { centre: res.body.total.responses as number, team: group?.responses ?? 0, group };
    }

    beforeAll(async () => {
      team = await newTeamWithDoctor();
      rater = await signedWithOpenid(team.teamId, team.doctor, "孙玉兰", "1958-04-21");
      const visit = await completedVisit(team.teamId, team.doctor, rater);
      // The invitation is made by a stream projector shortly after the visit is completed.
      invitation = await eventuallyFound(async () => {
        const list = await api("GET", "/v1/me/surveys?limit=100", { token: rater.token });
        return list.body.items?.find(
          (i: { about: { appointmentId?: string } }) => i.about.appointmentId === visit.appointmentId,
        );
        // The projector can lag behind the rest of a full parallel run (see test/surveys.test.ts).
      }, 100_000);
    }, 150_000);

    afterAll(async () => {
      await raterBrowser?.close();
      await managerBrowser?.close();
    });

    it("the resident completes the visit survey with star ratings (required ones checked first)", async () => {
      Object.assign(before, await scores());
      expect(before.team).toBe(0);

      raterBrowser = await openBrowser("rater");
      const { page } = raterBrowser;
      await loginInBrowser(raterBrowser, rater.openid);
      await page.locator("#home-tile-survey").click();
      const id = `survey-${invitation.invitationId}`;
      await page.locator(`#${id}-open`).click({ timeout: WAIT });

      // Nothing rated yet: the form names the missing answers in Chinese and sends nothing.
      await page.locator(`#${id}-submit`).click();
      expect(await visibleText(page, `#${id}-errors`)).toContain("项未完成");
      const ratings = invitation.questions.filter((q) => q.type === "rating");
      expect(ratings.length).toBeGreaterThan(0);
      expect(await visibleText(page, `#${id}-q-${ratings[0]?.questionId}-error`)).toBe(
        "请为此项打分（1–5 星）",
      );

      for (const q of ratings)
        await page.locator(`#${id}-q-${q.questionId}-star-${q.questionId === "overall" ? 5 : 4}`).click();
      const comment = invitation.questions.find((q) => q.type === "text");
      if (comment)
        await page.locator(`#${id}-q-${comment.questionId}-text textarea`).fill("医生很耐心，候诊时间稍长。");
      await expectScreenshot(page, "survey-form");

      const submitted = page.waitForResponse(
        (r) => new URL(r.url()).pathname === `/v1/surveys/invitations/${invitation.invitationId}/response`,
        { timeout: WAIT },
      );
      await page.locator(`#${id}-submit`).click();
      expect((await submitted).status()).toBe(201);
      expect(await visibleText(page, "#survey-success")).toContain("感谢您的评价");
      await expectScreenshot(page, "survey-done");
      expect(raterBrowser.pageErrors).toEqual([]);
    }, 120_000);

    it("the manager's dashboard shows the new response and renders its charts", async () => {
      const after = await scores();
      // This team: exactly the one new response. The centre: at least that one (other test files
      // running at the same time may add their own to the demo centre).
      expect(after.team).toBe(before.team + 1);
      expect(after.centre).toBeGreaterThanOrEqual(before.centre + 1);
      expect(after.group?.average).toBeNull();

      managerBrowser = await openBrowser("manager");
      const { page } = managerBrowser;
      await open(page, "/pages/login/index");
      await consentThenLogin(page);
      await page.locator("#login-demo-manager").click();
      await page.locator("#home-tile-dashboard").click({ timeout: WAIT });
      await page.locator("#dash-summary").waitFor({ state: "visible", timeout: WAIT });

      const shown = Number(await visibleText(page, "#dash-total-responses"));
      expect(shown).toBeGreaterThanOrEqual(after.centre);
      // The new team's bar: one response, below the floor of 5, so no average.
      const bar = `#chart-teams-bar-${team.teamId}`;
      await page.locator(bar).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, `${bar}-value`)).toBe("样本不足（少于 5 份）");
      expect(await page.locator(`${bar} .chart__note`).textContent()).toBe("1 份");
      // Every chart is drawn: six months of trend, five dimensions, the coverage bars.
      expect(await page.locator("#chart-trend .columns__col").count()).toBe(6);
      expect(await page.locator("#chart-dimensions .chart__row").count()).toBe(5);
      expect(await page.locator("#chart-coverage .chart__row").count()).toBeGreaterThanOrEqual(1);
      await page.locator("#chart-trend .columns__track").first().waitFor({ state: "visible", timeout: WAIT });
      await page
        .locator("#chart-coverage .chart__target")
        .first()
        .waitFor({ state: "visible", timeout: WAIT });
      await page.waitForTimeout(300);
      await expectScreenshot(page, "dashboard");
      expect(managerBrowser.pageErrors).toEqual([]);
    }, 120_000);
  });

  describe("f. staff onboarding", () => {
    let managerSession: BrowserSession | undefined;
    let nurseSession: BrowserSession | undefined;
    let teamId = "";
    let code = "";

    beforeAll(async () => {
      // A team of its own, so the new nurse changes no other scenario's team.
      ({ teamId } = await newTeamWithDoctor());
    }, 60_000);

    afterAll(async () => {
      await nurseSession?.close();
      await managerSession?.close();
    });

    it("the manager issues a nurse invitation for a team and shows it as a QR code", async () => {
      managerSession = await openBrowser("manager-invite");
      const { page } = managerSession;
      await open(page, "/pages/login/index");
      await consentThenLogin(page);
      await page.locator("#login-demo-manager").click();
      await page.locator("#home-tile-invitations").click({ timeout: WAIT });
      await page.locator("#invite-form").waitFor({ state: "visible", timeout: WAIT });

      // A team role needs a team: said inline, nothing sent.
      await page.locator("#invite-role-nurse").click();
      await page.locator("#invite-submit").click();
      expect(await visibleText(page, "#invite-error")).toBe("请选择成员加入的团队");

      await page.locator(`#invite-team-${teamId}`).click();
      const created = page.waitForResponse(
        (r) =>
          new URL(r.url()).pathname === "/v1/centres/c_demo/invitations" && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator("#invite-submit").click();
      const response = await created;
      expect(response.status()).toBe(201);
      const body = (await response.json()) as { code: string; role: string; teamId: string };
      expect(body).toMatchObject({ role: "nurse", teamId });
      code = body.code;
      expect(await visibleText(page, "#invite-issued-code")).toBe(code);

      // Listed among the open codes, its QR code drawn at once for the new member to scan.
      await page.locator(`#invite-${code}`).waitFor({ state: "visible", timeout: WAIT });
      const qr = page.locator(`#invite-${code}-qrcode`);
      await qr.waitFor({ state: "visible", timeout: WAIT });
      expect(Number(await qr.getAttribute("data-modules"))).toBeGreaterThanOrEqual(21);
      expect(await qr.locator(".qr__dark").count()).toBeGreaterThan(50);
      await expectScreenshot(page, "invitations");
      expect(managerSession.pageErrors).toEqual([]);
    }, 90_000);

    it("a new user claims the code as nurse from 我的 → 加入团队 and lands on the team desk", async () => {
      expect(code, "the previous step issued no code").not.toBe("");
      nurseSession = await openBrowser("new-nurse");
      const { page } = nurseSession;
      // A brand-new account: consent, log in, and the app asks for the profile first.
      await open(page, "/pages/login/index");
      await consentThenLogin(page);
      await page.locator("#login-openid").fill(uniqueOpenid("e2e-nurse"));
      await page.locator("#login-submit").click();
      await page.locator("#profile-form").waitFor({ state: "visible", timeout: WAIT });
      // Not staff yet: a resident only, and 我的 offers 加入团队.
      await open(page, "/pages/my/index");
      await page.locator("#my-claim").waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, "#my-roles")).toBe("居民");
      await page.locator("#my-claim").click();
      await page.locator("#claim-code").waitFor({ state: "visible", timeout: WAIT });

      // Typed as people type it: lower case, with a space.
      await page
        .locator("#claim-code")
        .fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4).toLowerCase()}`);
      await page.locator("#claim-name").fill("钱护士");
      const claimed = page.waitForResponse((r) => new URL(r.url()).pathname === "/v1/invitations/claim", {
        timeout: WAIT,
      });
      await page.locator("#claim-submit").click();
      const response = await claimed;
      expect(response.status()).toBe(200);
      const user = ((await response.json()) as { user: { id: string; roles: string[]; teamId: string } })
        .user;
      expect(user.roles).toContain("nurse");
      expect(user.teamId).toBe(teamId);

      // The team desk, with the new role: its tabs and links to the team's other pages.
      await teamTab(page, "待审核").waitFor({ state: "visible", timeout: WAIT });
      await page.locator("#team-links").waitFor({ state: "visible", timeout: WAIT });
      expect(page.url()).toContain("/staff/team/index");
      await expectScreenshot(page, "claim-team-desk");
      expect(nurseSession.pageErrors).toEqual([]);

      // The code is used up: the manager's open list no longer has it, the members list has her.
      const manager = managerSession?.page;
      if (!manager) throw new Error("the manager's browser is gone");
      await open(manager, "/staff/members/index");
      await manager.reload({ waitUntil: "domcontentloaded" });
      const member = `#member-${user.id}`;
      await manager.locator(member).waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(manager, `${member}-name`)).toBe("钱护士");
      expect(await visibleText(manager, `${member}-team`)).toContain("社区护士");
      await expectScreenshot(manager, "members");
    }, 120_000);
  });

  describe("g. elder mode", () => {
    let elderBrowser: BrowserSession | undefined;

    afterAll(async () => {
      await elderBrowser?.close();
    });

    it("every tappable is ≥ 48 px, one column, secondary text ≥ 18 px and all text ≥ 4.5:1 contrast (axe-core) on home, sign, appointments and notices", async () => {
      const elder = await signedWithOpenid(
        "t_demo_1",
        await devLogin("demo-doctor-1"),
        "孙玉兰",
        "1948-04-02",
      );
      elderBrowser = await openBrowser("elder");
      const { page } = elderBrowser;
      await loginInBrowser(elderBrowser, elder.openid);
      await page.locator("#home-elder-switch-row").click();
      await page.locator('#home[data-elder="on"]').waitFor({ state: "visible", timeout: WAIT });

      for (const [route, shellId] of [
        ["/pages/index/index", "home"],
        ["/pages/sign/index", "sign"],
        ["/pages/appointments/index", "appointments"],
        ["/pages/notices/index", "notices"],
      ] as const) {
        await open(page, route);
        // Tab pages stay in the DOM, hidden, after a switch: wait for this route's own page.
        await page
          .locator(`#${shellId}[data-elder="on"]`)
          .filter({ visible: true })
          .waitFor({ state: "visible", timeout: WAIT });
        await page
          .locator("#page-loading")
          .waitFor({ state: "detached", timeout: WAIT })
          .catch(() => undefined);
        await page.waitForTimeout(500);
        const problems = await page.evaluate((id) => {
          const shown = (el: Element) => {
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.display !== "none";
          };
          const page = Array.from(document.querySelectorAll(`#${id}`)).find(shown);
          if (!page) return [`#${id} not shown`];
          const out: string[] = [];
          const tappables = page.querySelectorAll(
            ".nut-button, .chip, .tile, .link-cell, .status-card__link, .elder-switch",
          );
          for (const el of Array.from(tappables)) {
            if (!shown(el)) continue;
            const r = el.getBoundingClientRect();
            if (r.height < 48) out.push(`${el.id || el.className} is ${Math.round(r.height)} px tall`);
          }
          const secondary = page.querySelectorAll(
            ".muted, .result__sub, .status-card__sub, .status-card__detail, .tile__desc, .page-header__subtitle, .footnote, .hint",
          );
          for (const el of Array.from(secondary)) {
            if (!shown(el) || !el.textContent?.trim()) continue;
            const size = Number.parseFloat(getComputedStyle(el).fontSize);
            if (size < 18) out.push(`${el.id || el.className} text is ${size} px`);
          }
          const tiles = Array.from(page.querySelectorAll(".tile"))
            .filter(shown)
            .map((t) => Math.round(t.getBoundingClientRect().left));
          if (new Set(tiles).size > 1) out.push(`tiles in ${new Set(tiles).size} columns`);
          return out;
        }, shellId);
        expect(problems, route).toEqual([]);
        expect(await contrastProblems(page), `${route}: text under 4.5:1`).toEqual([]);
        await expectScreenshot(page, `elder${route.replace(/\/pages\/|\/index/g, "-")}`);
      }
      expect(elderBrowser.pageErrors).toEqual([]);
    }, 150_000);
  });

  describe("h. proactive care", () => {
    let elder: Awaited<ReturnType<typeof signedWithOpenid>>;
    let elderBrowser: BrowserSession | undefined;
    let doctorToken = "";

    beforeAll(async () => {
      doctorToken = await devLogin("demo-doctor-1");
      // 86 years old: a home visit belongs to her plan.
      elder = await signedWithOpenid("t_demo_1", doctorToken, "钱秀珍", "1940-05-05");
    }, 60_000);

    afterAll(async () => {
      await elderBrowser?.close();
    });

    it("a resident asks for a home visit; the doctor schedules it from 待办 and completes it; her plan shows it done", async () => {
      const doctorPage = doctorBrowser?.page;
      if (!doctorPage) throw new Error("scenario b did not open the doctor's browser");
      const contractId = (
        await api("GET", `/v1/residents/${elder.residentId}/contracts`, { token: elder.token })
      ).body.items[0].contractId as string;
      const card = `#contract-${contractId}`;

      // Act 1: she asks from her contract card.
      elderBrowser = await openBrowser("home-visit");
      const { page } = elderBrowser;
      await loginInBrowser(elderBrowser, elder.openid);
      await open(page, "/pages/contracts/index");
      await page.locator(`${card}-ask-home-visit`).click({ timeout: WAIT });
      await page.locator(`${card}-home-visit-reason`).fill("行动不便，独居");
      await page.locator(`${card}-home-visit-submit`).click();
      expect(await visibleText(page, `${card}-home-visit-status`)).toContain("待安排");

      // Act 2: the doctor finds it in 待办 and schedules it within the hour (so it can be completed now).
      await open(doctorPage, "/staff/worklist/index");
      await doctorPage.reload({ waitUntil: "domcontentloaded" });
      const item = doctorPage.locator(`[id^="worklist-home_visit_requested-${elder.residentId}"]`).first();
      await expect
        .poll(
          async () => {
            if ((await item.count()) > 0) return true;
            await doctorPage.reload({ waitUntil: "domcontentloaded" });
            await doctorPage.waitForTimeout(1_000);
            return false;
          },
          { timeout: WAIT },
        )
        .toBe(true);
      const prefix = await item.getAttribute("id");
      const at = new Date(Date.now() + 20 * 60_000);
      const china = new Date(at.getTime() + 8 * 3_600_000).toISOString();
      await doctorPage.locator(`#${prefix}-schedule`).click();
      await doctorPage.locator(`#${prefix}-date`).fill(china.slice(0, 10));
      await doctorPage.locator(`#${prefix}-time`).fill(china.slice(11, 16));
      const scheduled = doctorPage.waitForResponse(
        (r) => r.url().includes("/schedule") && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await doctorPage.locator(`#${prefix}-schedule-submit`).click();
      expect((await scheduled).status()).toBe(200);
      const request = (
        await api("GET", `/v1/residents/${elder.residentId}/home-visit-requests`, { token: elder.token })
      ).body.items[0];
      expect(request).toMatchObject({ status: "scheduled" });
      expect(await inboxTitles(elder.residentId)).toContain("上门服务已安排");

      // Act 3: on the day's list, the doctor completes the visit.
      const day = china.slice(0, 10);
      await open(doctorPage, "/staff/team-day/index");
      await doctorPage.reload({ waitUntil: "domcontentloaded" });
      // Twenty minutes from now can be tomorrow in China: one step forward then.
      if (day !== todayInChina()) await doctorPage.locator("#team-day-next").click({ timeout: WAIT });
      await doctorPage.locator(`#team-day-${request.appointmentId}-complete`).click({ timeout: WAIT });
      await expect
        .poll(
          async () =>
            (
              await api("GET", `/v1/teams/t_demo_1/appointments?date=${day}`, { token: doctorToken })
            ).body.items.find((a: { appointmentId: string }) => a.appointmentId === request.appointmentId)
              ?.status,
          { timeout: WAIT },
        )
        .toBe("completed");

      // Assess: her plan counts the home visit and the request is completed. The request follows its
      // visit through the stream projector, a moment after the completion: reload until it shows.
      await page.reload({ waitUntil: "domcontentloaded" });
      await expect
        .poll(() => visibleText(page, `${card}-plan-home_visit`), { timeout: WAIT })
        .toContain("已完成");
      await expect
        .poll(
          async () => {
            const status = await visibleText(page, `${card}-home-visit-status`);
            if (!status.includes("已完成")) await page.reload({ waitUntil: "domcontentloaded" });
            return status;
          },
          { timeout: WAIT, interval: 500 },
        )
        .toContain("已完成");
      await expectScreenshot(page, "home-visit-done");
    }, 150_000);
  });

  describe("i. a manual survey to a team, and the district's view", () => {
    let team: { teamId: string; doctor: string; manager: string };
    let member: Awaited<ReturnType<typeof signedWithOpenid>>;
    let managerSession: BrowserSession | undefined;
    let memberSession: BrowserSession | undefined;
    let districtSession: BrowserSession | undefined;
    let surveyId = "";

    beforeAll(async () => {
      // A fresh team with one signed resident: the survey's audience is exactly her.
      team = await newTeamWithDoctor();
      member = await signedWithOpenid(team.teamId, team.doctor, "吴桂英", "1957-09-12");
    }, 60_000);

    afterAll(async () => {
      await districtSession?.close();
      await memberSession?.close();
      await managerSession?.close();
    });

    it("the manager creates a manual survey for the team from the dashboard (audience 1)", async () => {
      managerSession = await openBrowser("survey-manager");
      const { page } = managerSession;
      await loginInBrowser(managerSession, "demo-manager");
      await page.locator("#home-tile-dashboard").click({ timeout: WAIT });
      // The dashboard reads five figures before it shows its links: slow on a busy machine.
      await page.locator("#dash-to-survey-create").click({ timeout: 3 * WAIT });
      await page.locator("#survey-create-form").waitFor({ state: "visible", timeout: WAIT });

      // Nothing chosen: the form names what is missing and sends nothing.
      await page.locator("#survey-create-submit").click();
      expect(await visibleText(page, "#survey-title-error")).toBe("请填写问卷标题");
      expect(await visibleText(page, "#survey-team-error")).toBe("请选择发放的团队");

      await page.locator("#survey-title").fill("冬季家庭医生服务满意度调查");
      await page.locator(`#survey-team-${team.teamId}`).click();
      const created = page.waitForResponse(
        (r) => new URL(r.url()).pathname === "/v1/centres/c_demo/surveys" && r.request().method() === "POST",
        { timeout: WAIT },
      );
      await page.locator("#survey-create-submit").click();
      expect((await created).status()).toBe(201);
      const success = page.locator("#survey-create-success");
      await success.waitFor({ state: "visible", timeout: WAIT });
      surveyId = (await success.getAttribute("data-survey")) ?? "";
      expect(surveyId).not.toBe("");
      expect(await page.locator("#survey-create-audience").getAttribute("data-audience")).toBe("1");
      await expectScreenshot(page, "survey-created");
      expect(managerSession.pageErrors).toEqual([]);
    }, 120_000);

    it("the team's resident finds it in 满意度评价 and answers it", async () => {
      // The invitation comes through the fan-out (a queue worker) shortly after creation.
      const invitation = await eventuallyFound(async () => {
        const list = await api("GET", "/v1/me/surveys?limit=100", { token: member.token });
        return (list.body.items as { invitationId: string; surveyId: string }[] | undefined)?.find(
          (i) => i.surveyId === surveyId,
        );
      }, 60_000);

      memberSession = await openBrowser("survey-member");
      const { page } = memberSession;
      await loginInBrowser(memberSession, member.openid);
      await page.locator("#home-tile-survey").click();
      const id = `survey-${invitation.invitationId}`;
      await page.locator(`#${id}-open`).click({ timeout: WAIT });
      for (const q of ["q1", "q2", "q3", "q4", "q5"]) await page.locator(`#${id}-q-${q}-star-4`).click();
      const submitted = page.waitForResponse(
        (r) => new URL(r.url()).pathname === `/v1/surveys/invitations/${invitation.invitationId}/response`,
        { timeout: WAIT },
      );
      await page.locator(`#${id}-submit`).click();
      expect((await submitted).status()).toBe(201);
      expect(await visibleText(page, "#survey-success")).toContain("感谢您的评价");
      expect(memberSession.pageErrors).toEqual([]);
    }, 120_000);

    it("the manager's results show 1 invited, 1 responded, 100% for the team, and no breakdown under 5", async () => {
      const page = managerSession?.page;
      if (!page) throw new Error("the first scenario did not open the manager's browser");
      await page.locator("#survey-create-to-results").click();
      await page.locator("#results-summary").waitFor({ state: "visible", timeout: WAIT });
      // The response is counted by the stream projector: reload until it shows.
      await expect
        .poll(
          async () => {
            const text = (await page.locator("#results-responded").textContent()) ?? "";
            if (text.trim() !== "1") await page.reload({ waitUntil: "domcontentloaded" });
            await page.locator("#results-summary").waitFor({ state: "visible", timeout: WAIT });
            return ((await page.locator("#results-responded").textContent()) ?? "").trim();
          },
          { timeout: 60_000 },
        )
        .toBe("1");
      expect(await visibleText(page, "#results-invited")).toBe("1");
      expect(await visibleText(page, "#results-rate")).toBe("100.0%");
      expect(await visibleText(page, `#results-teams-chart-bar-${team.teamId}-value`)).toBe("100.0%");
      expect(await visibleText(page, "#results-q-q1-withheld")).toBe("不足5份，不显示");
      expect(await visibleText(page, "#results-comments-withheld")).toBe("不足5份，不显示");
      // The trend loads on its own, after the results.
      await page.locator("#results-trend-chart").waitFor({ state: "visible", timeout: WAIT });
      expect(await page.locator("#results-trend-chart .columns__col").count()).toBe(12);
      await expectScreenshot(page, "survey-results");
      expect(managerSession?.pageErrors).toEqual([]);
    }, 120_000);

    it("demo-district opens the district dashboard with both centres and the total", async () => {
      districtSession = await openBrowser("district");
      const { page } = districtSession;
      await loginInBrowser(districtSession, "demo-district");
      await page.locator("#home-tile-district").click({ timeout: WAIT });
      await page.locator("#district-report").waitFor({ state: "visible", timeout: WAIT });
      expect(await visibleText(page, "#district-row-c_demo_2-name")).toBe("东华门街道社区卫生服务中心");
      expect(await visibleText(page, "#district-row-c_demo-name")).not.toBe("");
      expect(await visibleText(page, "#district-row-total-name")).toBe("全区合计");
      expect(await page.locator("#district-satisfaction-chart .chart__row").count()).toBe(2);
      await page
        .locator("#district-coverage-overall .chart__target")
        .first()
        .waitFor({ state: "visible", timeout: WAIT });
      await expectScreenshot(page, "district");
      expect(districtSession.pageErrors).toEqual([]);
    }, 120_000);
  });
});
