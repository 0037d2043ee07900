import Taro from "@tarojs/taro";
import { fireEvent, render, waitFor } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { todayInChina } from "../lib/appointments";
import { saveSession } from "../services/session";
import { BookOnBehalf } from "./BookOnBehalf";

type RequestOption = Taro.request.Option;
type Answer = { statusCode: number; data: unknown };

const today = todayInChina();
const slot = (slotId: string, remaining: number, serviceType = "chronic_followup") => ({
  slotId,
  teamId: "t1",
  serviceType,
  serviceName: serviceType === "chronic_followup" ? "慢病随访" : "全科门诊",
  date: today,
  startsAt: `${today}T23:00:00+08:00`,
  endsAt: `${today}T23:30:00+08:00`,
  capacity: 5,
  remaining,
  closed: false,
  groups: [],
});

const byId = (id: string) => document.getElementById(id);
const found = (id: string) =>
  waitFor(() => {
    const el = byId(id);
    if (!el) throw new Error(`no #${id} yet`);
    return el;
  });

/** The API: the team's slots of the asked type, and bookings answered by `book` in turn. */
function fakeApi(book: Answer[]) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) => {
    const [path, query = ""] = option.url.split("?");
    let res: Answer = { statusCode: 404, data: { error: { code: "NOT_FOUND", message: "不存在" } } };
    if (path === "/v1/teams/t1/slots") {
      const type = new URLSearchParams(query).get("serviceType");
      res = {
        statusCode: 200,
        data: {
          items: type === "chronic_followup" ? [slot("s_open", 2), slot("s_full", 0)] : [],
          nextCursor: null,
        },
      };
    }
    if (path === "/v1/appointments" && option.method === "POST")
      res = book.shift() ?? { statusCode: 500, data: { error: { code: "INTERNAL", message: "x" } } };
    return Promise.resolve({ ...res, header: {}, errMsg: "request:ok" });
  }) as unknown as typeof Taro.request);
}

const bookings = (api: ReturnType<typeof fakeApi>) =>
  api.mock.calls.map(([o]) => o).filter((o) => o.url === "/v1/appointments");

describe("代预约 (BookOnBehalf)", () => {
  beforeEach(() => {
    saveSession("tok", { id: "u_doc", roles: ["doctor"] });
    vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
  });

  it("offers the team's slots of the service owed and books one for the resident, telling staff the resident is notified", async () => {
    const api = fakeApi([
      {
        statusCode: 201,
        data: { appointmentId: "a1", status: "booked", bookedBy: "team", residentId: "r1" },
      },
    ]);
    const onDone = vi.fn();
    render(
      <BookOnBehalf
        teamId="t1"
        residentId="r1"
        name="王秀兰"
        groups={["chronic"]}
        defaultType="chronic_followup"
        idPrefix="w1"
        onDone={onDone}
        onCancel={vi.fn()}
      />,
    );
    await found("w1-slot-s_open-book");
    const listed = api.mock.calls.find(([o]) => o.url.startsWith("/v1/teams/t1/slots"))?.[0];
    expect(listed?.url).toContain("serviceType=chronic_followup");
    expect(listed?.url).toContain(`from=${today}`);
    expect(byId("w1-book-type-chronic_followup")?.className).toContain("chip--active");
    // A full slot is shown, with no waitlist: staff book an open one.
    expect(byId("w1-slot-s_full-full")?.textContent).toBe("已约满");
    expect(byId("w1-slot-s_full-waitlist")).toBeNull();
    // Nothing is booked before staff confirm the chosen slot.
    expect(byId("w1-book-confirm")).toBeNull();

    fireEvent.click(byId("w1-slot-s_open-book") as HTMLElement);
    expect(byId("w1-book-chosen")?.textContent).toContain("王秀兰");
    expect(bookings(api)).toHaveLength(0);
    fireEvent.click(byId("w1-book-confirm") as HTMLElement);
    await waitFor(() =>
      expect(onDone).toHaveBeenCalledWith(expect.objectContaining({ appointmentId: "a1" })),
    );
    const [sent] = bookings(api);
    expect(sent?.method).toBe("POST");
    // The resident's own booking API: the server records bookedBy "team" from the caller.
    expect(sent?.data).toEqual({ slotId: "s_open", residentId: "r1" });
    expect((sent?.header ?? {}) as Record<string, string>).toHaveProperty(
      "Idempotency-Key",
      expect.stringMatching(/^bk-/),
    );
    expect(Taro.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: "已为王秀兰预约，已通知居民" }),
    );
  });

  it("retries a lost answer with the same Idempotency-Key, and explains a refusal", async () => {
    const api = fakeApi([
      { statusCode: 503, data: { error: { code: "UNAVAILABLE", message: "服务暂时不可用" } } },
      {
        statusCode: 409,
        data: { error: { code: "BOOKING_LIMIT", message: "未完成的预约最多 3 个" } },
      },
    ]);
    const onDone = vi.fn();
    render(
      <BookOnBehalf
        teamId="t1"
        residentId="r1"
        name="王秀兰"
        groups={["chronic"]}
        defaultType="chronic_followup"
        idPrefix="w1"
        onDone={onDone}
        onCancel={vi.fn()}
      />,
    );
    fireEvent.click(await found("w1-slot-s_open-book"));
    fireEvent.click(byId("w1-book-confirm") as HTMLElement);
    await waitFor(() => expect(byId("w1-book-confirm")?.textContent).toContain("重试"));
    fireEvent.click(byId("w1-book-confirm") as HTMLElement);
    await waitFor(() => expect(byId("w1-book-error")?.getAttribute("data-code")).toBe("BOOKING_LIMIT"));
    const keys = bookings(api).map((o) => (o.header as Record<string, string>)["Idempotency-Key"]);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(byId("w1-book-error")?.textContent).toContain("未完成的预约最多 3 个");
    expect(onDone).not.toHaveBeenCalled();
  });

  it("switches to another service type and day, and closes without booking", async () => {
    const api = fakeApi([]);
    const onCancel = vi.fn();
    render(
      <BookOnBehalf
        teamId="t1"
        residentId="r1"
        name="王秀兰"
        groups={[]}
        defaultType="chronic_followup"
        idPrefix="w1"
        onDone={vi.fn()}
        onCancel={onCancel}
      />,
    );
    await found("w1-slot-s_open-book");
    fireEvent.click(byId("w1-book-type-consultation") as HTMLElement);
    await waitFor(() => expect(byId("w1-slot-s_open")).toBeNull());
    expect(document.body.textContent).toContain("当天暂无号源");
    expect(api.mock.calls.some(([o]) => o.url.includes("serviceType=consultation"))).toBe(true);
    // Prenatal and child health only for those groups: not offered here.
    expect(byId("w1-book-type-prenatal")).toBeNull();
    fireEvent.click(byId("w1-book-cancel") as HTMLElement);
    expect(onCancel).toHaveBeenCalled();
    expect(bookings(api)).toHaveLength(0);
  });
});
