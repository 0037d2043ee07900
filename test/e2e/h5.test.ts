import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contractEndDate, todayInChina } from "../../shared/dates.js";
import { api, devLogin, idNumberFor, randomPhone, stack, uniqueOpenid } from "../support/api.js";
import { publish, tomorrow } from "../support/appointments.js";
import {
  type BrowserSession,
  chromiumAvailable,
  ensureH5Build,
  openBrowser,
  screenshot,
} from "../support/browser.js";
import { applyBody, newTeamWithDoctor } from "../support/contracts.js";

/**
 * End to end in headless Chromium against the H5 build served by the local stack (same origin as the
 * API): a new resident consents, logs in, registers, signs with the first demo team; the team's
 * doctor approves; the resident sees the running contract; the doctor records a service; the
 * resident asks to end the contract and the team confirms; a signed resident of a fresh team books
 * a slot, finds it under 我的预约 and cancels it, and the place is free again. Scenarios run in order
 * in this one file (they share the resident), so the H5 build happens once.
 */
const available = chromiumAvailable();

const WAIT = 20_000;
const base = () => stack().url;

async function open(page: Page, route: string) {
  await page.goto(`${base()}/#${route}`, { waitUntil: "domcontentloaded", timeout: WAIT });
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
      await page.locator("#team-tab-pending").waitFor({ state: "visible", timeout: WAIT });

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

      await page.locator("#team-tab-active").click();
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
      await page.locator("#team-tab-terminating").click({ timeout: WAIT });
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
});
