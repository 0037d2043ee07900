import { describe, expect, it } from "vitest";
import { addMonths, checkDraft, monthEnd, type NoticeDraft } from "./notices";
import { averageText, checkAnswers, toAnswers } from "./surveys";

const draft = (change: Partial<NoticeDraft> = {}): NoticeDraft => ({
  kind: "lecture",
  title: "高血压防治讲座",
  body: "欢迎参加",
  scheduled: false,
  publishDate: "2026-11-24",
  publishTime: "",
  venue: "中心三楼会议室",
  lectureDate: "2026-12-01",
  lectureTime: "14:30",
  capacity: "50",
  ...change,
});
const now = new Date("2026-11-24T00:00:00Z");

describe("notice and survey rules", () => {
  it("checks the publish form in Chinese", () => {
    expect(checkDraft(draft(), now)).toEqual({});
    expect(checkDraft(draft({ kind: null, title: " ", body: "<b>x</b>" }), now)).toEqual({
      kind: "请选择通知类型",
      title: "请填写标题",
      body: "正文不能包含 HTML 标签",
    });
    expect(checkDraft(draft({ capacity: "0", lectureTime: "25:00", venue: "" }), now)).toEqual({
      venue: "请填写讲座地点",
      lectureTime: "请按 时:分 填写讲座时间，如 14:30",
      capacity: "名额须为 1–2000 的整数",
    });
    expect(checkDraft(draft({ kind: "seasonal", scheduled: true, publishTime: "07:00" }), now)).toEqual({
      publishTime: "定时发布的时间须晚于现在",
    });
  });

  it("month arithmetic across years", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2026-11", -5)).toBe("2026-06");
    expect(monthEnd("2028-02")).toBe("2028-02-29");
  });

  it("answers: required, comment length, empty optional answers left out", () => {
    const questions = [
      { questionId: "overall", type: "rating" as const, text: "总体", required: true },
      { questionId: "comment", type: "text" as const, text: "意见", required: false },
    ];
    expect(checkAnswers(questions, { comment: "x".repeat(501) })).toEqual({
      overall: "请为此项打分（1–5 星）",
      comment: "不能超过 500 个字",
    });
    expect(toAnswers(questions, { overall: 4, comment: "  " })).toEqual([
      { questionId: "overall", value: 4 },
    ]);
    expect(averageText(null)).toBe("样本不足（少于 5 份）");
    expect(averageText(4.26)).toBe("4.3");
  });
});
