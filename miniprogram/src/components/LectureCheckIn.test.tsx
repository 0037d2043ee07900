import Taro from "@tarojs/taro";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { checkInQrText } from "../lib/check-in";
import type { Person } from "../lib/people";
import { LectureCheckIn } from "./LectureCheckIn";

type RequestOption = Taro.request.Option;

const person = (residentId: string, name: string): Person => ({
  residentId,
  name,
  relation: "本人",
  self: true,
  age: 70,
  groups: [],
  idNumberMasked: "110***********002X",
  phoneMasked: null,
});

function fakeCheckIn(status: number, data: unknown) {
  return vi.spyOn(Taro, "request").mockImplementation(((option: RequestOption) =>
    Promise.resolve({
      statusCode: status,
      data,
      header: {},
      errMsg: "request:ok",
      option,
    })) as unknown as typeof Taro.request);
}

describe("resident lecture check-in (issue 14, item 3)", () => {
  it("scans the screen's code and checks in every registered family member", async () => {
    // Prepare
    vi.spyOn(Taro, "scanCode").mockResolvedValue({
      result: checkInQrText("n1", "29000001.abc"),
      errMsg: "scanCode:ok",
    } as never);
    const api = fakeCheckIn(200, { noticeId: "n1", residentId: "r1", registeredAt: "x", attendedAt: "y" });
    render(<LectureCheckIn noticeId="n1" people={[person("r1", "李秀英"), person("r2", "王桂兰")]} />);
    // Act
    fireEvent.click(document.getElementById("notice-check-in-scan") as HTMLElement);
    // Assess
    expect((await screen.findByText("李秀英、王桂兰已签到，感谢参加")).id).toBe("notice-check-in-message");
    expect(api.mock.calls.map(([o]) => [o.url, o.data])).toEqual([
      ["/v1/notices/n1/check-in", { token: "29000001.abc", residentId: "r1" }],
      ["/v1/notices/n1/check-in", { token: "29000001.abc", residentId: "r2" }],
    ]);
  });

  it("refuses another lecture's code before asking the server, and shows an expired code's message once", async () => {
    const scan = vi
      .spyOn(Taro, "scanCode")
      .mockResolvedValueOnce({ result: checkInQrText("n9", "1.abc"), errMsg: "scanCode:ok" } as never)
      .mockResolvedValueOnce({ result: checkInQrText("n1", "1.old"), errMsg: "scanCode:ok" } as never);
    const toast = vi.spyOn(Taro, "showToast").mockResolvedValue({ errMsg: "showToast:ok" });
    const api = fakeCheckIn(409, { error: { code: "CHECK_IN_INVALID", message: "签到码无效或已过期" } });
    render(<LectureCheckIn noticeId="n1" people={[person("r1", "李秀英")]} />);
    fireEvent.click(document.getElementById("notice-check-in-scan") as HTMLElement);
    expect((await screen.findByText("这是其他讲座的签到码，请确认讲座后再扫")).id).toBe(
      "notice-check-in-message",
    );
    expect(api).not.toHaveBeenCalled();
    fireEvent.click(document.getElementById("notice-check-in-scan") as HTMLElement);
    await waitFor(() => expect(screen.getByText("签到码无效或已过期")).not.toBeNull());
    expect(scan).toHaveBeenCalledTimes(2);
    expect(toast).not.toHaveBeenCalled();
  });

  it("says nothing when she closes the scanner", async () => {
    vi.spyOn(Taro, "scanCode").mockRejectedValue({ errMsg: "scanCode:fail cancel" });
    const api = fakeCheckIn(200, {});
    render(<LectureCheckIn noticeId="n1" people={[person("r1", "李秀英")]} />);
    fireEvent.click(document.getElementById("notice-check-in-scan") as HTMLElement);
    await new Promise((r) => setTimeout(r, 50));
    expect(document.getElementById("notice-check-in-message")).toBeNull();
    expect(api).not.toHaveBeenCalled();
  });
});
