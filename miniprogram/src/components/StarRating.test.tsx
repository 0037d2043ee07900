import { fireEvent, render } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { MySurvey } from "../services/types";
import { StarRating } from "./StarRating";
import { SurveyForm } from "./SurveyForm";

const byId = (id: string) => document.getElementById(id) as HTMLElement;

function Controlled() {
  const [value, setValue] = useState<number | undefined>(undefined);
  return <StarRating id="r" value={value} onChange={setValue} />;
}

const survey: Pick<MySurvey, "invitationId" | "questions"> = {
  invitationId: "inv1",
  questions: [
    { questionId: "attitude", type: "rating", dimension: "attitude", text: "服务态度", required: true },
    { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度", required: true },
    {
      questionId: "again",
      type: "choice",
      text: "是否愿意再次预约",
      options: ["愿意", "不愿意"],
      required: false,
    },
    { questionId: "comment", type: "text", text: "意见和建议", required: false },
  ],
};

describe("StarRating", () => {
  it("sets the value of the tapped star and says what it means", () => {
    render(<Controlled />);
    expect(byId("r-word").textContent).toBe("请点击星星打分");
    fireEvent.click(byId("r-star-4"));
    expect(byId("r").getAttribute("data-value")).toBe("4");
    expect(byId("r-word").textContent).toBe("4 星 · 满意");
    expect(document.querySelectorAll(".stars__star--on")).toHaveLength(4);
    fireEvent.click(byId("r-star-2"));
    expect(byId("r-word").textContent).toBe("2 星 · 不满意");
    expect(document.querySelectorAll(".stars__star--on")).toHaveLength(2);
  });

  it("the survey form refuses to send until every required rating is given, in Chinese", () => {
    const onSubmit = vi.fn();
    render(<SurveyForm survey={survey} onSubmit={onSubmit} />);
    fireEvent.click(byId("survey-inv1-submit"));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(byId("survey-inv1-q-attitude-error").textContent).toBe("请为此项打分（1–5 星）");
    expect(byId("survey-inv1-q-overall-error").textContent).toBe("请为此项打分（1–5 星）");
    // Optional questions are not flagged.
    expect(document.getElementById("survey-inv1-q-comment-error")).toBeNull();
    expect(byId("survey-inv1-errors").textContent).toContain("还有 2 项未完成");

    // Rating one clears its message only.
    fireEvent.click(byId("survey-inv1-q-attitude-star-5"));
    expect(document.getElementById("survey-inv1-q-attitude-error")).toBeNull();
    fireEvent.click(byId("survey-inv1-submit"));
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.click(byId("survey-inv1-q-overall-star-3"));
    fireEvent.click(byId("survey-inv1-q-again-option-0"));
    fireEvent.click(byId("survey-inv1-submit"));
    expect(onSubmit).toHaveBeenCalledWith([
      { questionId: "attitude", value: 5 },
      { questionId: "overall", value: 3 },
      { questionId: "again", value: "愿意" },
    ]);
  });
});
