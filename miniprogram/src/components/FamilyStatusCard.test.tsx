import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { REVIEW_HINT, statusCards } from "../lib/home-status";
import type { Person } from "../lib/people";
import HomePage from "../pages/index/index";
import { saveSession } from "../services/session";
import type { Appointment, Contract, InboxItem, Team } from "../services/types";
import { FamilyStatusCard } from "./FamilyStatusCard";

type RequestOption = Taro.request.Option;

const SELF: Person = {
  residentId: "r1",
  name: "李秀英",
  relation: "本人",
  self: true,
  age: 70,
  groups: ["elderly"],
  idNumberMasked: "110***********002X",
  phoneMasked: "138****5678",
};
const MOTHER: Person = { ...SELF, residentId: "r2", name: "王桂兰", relation: "父母", self: false };

const contract = (over: Partial<Contract>): Contract => ({
  contractId: "k1",
  residentId: "r1",
  teamId: "t1",
  teamName: "第一家庭医生团队",
  centreId: "c1",
  status: "active",
  statusName: "已签约",
  term: 1,
  packageIds: [],
  packages: [],
  feeFen: 0,
  subsidyFen: 0,
  residentPaysFen: 0,
  agreementVersion: "2026-01",
  appliedAt: "2026-11-20T02:00:00.000Z",
  startDate: "2026-11-23",
  endDate: "2027-11-22",
  terminatedAt: null,
  resident: null,
  termination: null,
  rejectReason: null,
  overdue: false,
  entitlements: [],
  previousContractId: null,
  switchFromContractId: null,
  switchToContractId: null,
  endReason: null,
  ...over,
});

const TEAM: Team = {
  teamId: "t1",
  centreId: "c1",
  name: "第一家庭医生团队",
  members: [
    { name: "王建国", role: "doctor", mayApprove: true },
    { name: "李秀梅", role: "nurse", mayApprove: true },
  ],
  capacityHouseholds: 600,
  signedHouseholds: 10,
  remainingHouseholds: 590,
  signedPersons: 20,
  servicePhone: "010-84012301",
};
const CENTRE = { centreId: "c1", name: "和平里街道社区卫生服务中心", neighbourhoods: [] };

const visit = (over: Partial<Appointment>): Appointment => ({
  appointmentId: "a1",
  slotId: "s1",
  residentId: "r1",
  residentName: "李秀英",
  teamId: "t1",
  serviceType: "chronic_followup",
  serviceName: "慢病随访",
  date: "2026-12-03",
  startsAt: "2026-12-03T01:00:00.000Z",
  endsAt: "2026-12-03T01:30:00.000Z",
  status: "booked",
  statusName: "已预约",
  note: null,
  cancellation: null,
  createdAt: "2026-11-30T01:00:00.000Z",
  ...over,
});

const message = (over: Partial<InboxItem>): InboxItem => ({
  noticeId: "n1",
  messageId: "m1",
  residentId: "r1",
  kind: "seasonal",
  title: "流感季提醒",
  body: "…",
  publishedAt: "2026-11-30T01:00:00.000Z",
  read: false,
  ...over,
});

const NOW = new Date("2026-12-01T08:00:00.000Z");

const byId = (id: string) => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} not found`);
  return el;
};

describe("home status card", () => {
  it("shows a pending application as waiting for review, never as signed", () => {
    // Prepare
    const [card] = statusCards({
      people: [SELF],
      contracts: {
        r1: [contract({ status: "pending", statusName: "待审核", startDate: null, endDate: null })],
      },
      teams: [TEAM],
      centres: [CENTRE],
      appointments: [],
      inbox: [],
      now: NOW,
    });
    // Act
    render(<FamilyStatusCard card={card!} />);
    // Assess
    expect(byId("status-r1-headline").textContent).toBe("待审核 · 已向第一家庭医生团队提交申请");
    expect(byId("status-r1-detail").textContent).toBe(REVIEW_HINT);
    expect(byId("status-r1").textContent).not.toContain("已与");
    expect(document.getElementById("status-r1-sign")).toBeNull();
  });

  it("shows an active contract's dates, the doctor, a masked phone that calls the full number", async () => {
    // Prepare
    const call = vi.spyOn(Taro, "makePhoneCall").mockResolvedValue({ errMsg: "makePhoneCall:ok" });
    const [card] = statusCards({
      people: [SELF],
      contracts: { r1: [contract({})] },
      teams: [TEAM],
      centres: [CENTRE],
      appointments: [],
      inbox: [],
      now: NOW,
    });
    render(<FamilyStatusCard card={card!} />);
    expect(byId("status-r1-detail").textContent).toBe("服务期 2026-11-23 至 2027-11-22");
    expect(byId("status-r1-doctor").textContent).toContain("家庭医生 王建国");
    expect(byId("status-r1-phone").textContent).toBe("团队电话 010****2301");
    expect(byId("status-r1-phone").textContent).not.toContain("84012301");
    // Act
    fireEvent.click(byId("status-r1-call"));
    // Assess
    await waitFor(() => expect(call).toHaveBeenCalledWith({ phoneNumber: "010-84012301" }));
  });

  it("shows the next visit with place and time, and counts a notice once however many copies", () => {
    // Prepare
    const [self, mother] = statusCards({
      people: [SELF, MOTHER],
      contracts: { r1: [contract({})], r2: [] },
      teams: [TEAM],
      centres: [CENTRE],
      appointments: [
        visit({
          appointmentId: "late",
          date: "2026-12-10",
          startsAt: "2026-12-10T01:00:00.000Z",
          endsAt: "2026-12-10T01:30:00.000Z",
        }),
        visit({}),
        visit({
          appointmentId: "past",
          date: "2026-11-28",
          startsAt: "2026-11-28T01:00:00.000Z",
          endsAt: "2026-11-28T01:30:00.000Z",
        }),
      ],
      inbox: [
        message({}),
        message({ messageId: "m2", residentId: "r2" }),
        message({ messageId: "m3", noticeId: "n2", read: true }),
        message({ messageId: "m4", noticeId: null, kind: "contract_result" }),
      ],
      now: NOW,
    });
    // Act
    render(
      <>
        <FamilyStatusCard card={self!} />
        <FamilyStatusCard card={mother!} />
      </>,
    );
    // Assess
    expect(byId("status-r1-next-when").textContent).toBe("2026-12-03（周四）09:00–09:30");
    expect(byId("status-r1-next-place").textContent).toBe("地点：和平里街道社区卫生服务中心");
    expect(byId("status-r1-unread").dataset.unread).toBe("1");
    expect(byId("status-r2-headline").textContent).toBe("尚未签约家庭医生");
    expect(byId("status-r2-sign").textContent).toBe("去签约");
    expect(document.getElementById("status-r2-next")).toBeNull();
  });
});

describe("home page", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u1", roles: ["resident"] });
  });

  it("shows each family member's card after approval, with the doctor and the team's phone", async () => {
    // Prepare
    const profile = {
      residentId: "r1",
      name: "李秀英",
      idType: "resident_id_card",
      idNumberMasked: "110***********002X",
      phoneMasked: "138****5678",
      birthDate: "1956-01-01",
      sex: "female",
      age: 70,
      groups: ["elderly"],
      declaredGroups: [],
    };
    const answers: Record<string, unknown> = {
      "GET /v1/me": { user: { id: "u1", roles: ["resident"] }, profile, family: [] },
      "GET /v1/residents/r1/contracts?limit=100": { items: [contract({})], nextCursor: null },
      "GET /v1/me/appointments?limit=50": { items: [], nextCursor: null },
      "GET /v1/me/notices?limit=50": {
        items: [message({ noticeId: null, kind: "contract_result", title: "签约申请已通过" })],
        nextCursor: null,
        unread: 0,
      },
      "GET /v1/centres?limit=100": { items: [CENTRE], nextCursor: null },
      "GET /v1/centres/c1/teams?limit=100": { items: [TEAM], nextCursor: null },
    };
    vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
      const data = answers[`${option.method ?? "GET"} ${option.url}`];
      return Promise.resolve({
        statusCode: data ? 200 : 404,
        data: data ?? { error: { code: "NOT_FOUND", message: "不存在" } },
        header: {},
        errMsg: "request:ok",
      });
    }) as unknown as typeof Taro.request);
    // Act
    render(<HomePage />);
    // Assess
    await waitFor(() => expect(document.getElementById("status-r1-doctor")).not.toBeNull());
    expect(byId("status-r1-headline").textContent).toBe("已签约 · 第一家庭医生团队");
    expect(byId("status-r1-doctor").textContent).toContain("王建国");
    expect(byId("home-tile-contract").dataset.url).toBe("/pages/contracts/index");
  });
});
