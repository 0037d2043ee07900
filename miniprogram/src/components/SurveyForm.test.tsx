import { fireEvent, render } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { MySurvey } from "../services/types";
import { SurveyForm } from "./SurveyForm";

const survey: Pick<MySurvey, "invitationId" | "questions"> = {
  invitationId: "inv2",
  questions: [
    { questionId: "overall", type: "rating", dimension: "overall", text: "总体满意度", required: true },
  ],
};
const consentBox = () => document.getElementById("survey-inv2-contact-consent");

describe("SurveyForm: consent to be contacted after a low score", () => {
  it("offers the tick box only under a rating of 2 or less, and sends what the resident chose", () => {
    const onSubmit = vi.fn();
    render(<SurveyForm survey={survey} onSubmit={onSubmit} />);
    fireEvent.click(document.getElementById("survey-inv2-q-overall-star-4") as HTMLElement);
    expect(consentBox()).toBeNull();
    fireEvent.click(document.getElementById("survey-inv2-q-overall-star-2") as HTMLElement);
    expect(consentBox()).not.toBeNull();
    expect(document.body.textContent).toContain("同意中心就本次评价与我联系回访");
    fireEvent.click(document.getElementById("survey-inv2-submit") as HTMLElement);
    expect(onSubmit).toHaveBeenLastCalledWith([{ questionId: "overall", value: 2 }], false);
    fireEvent.click(consentBox()?.querySelector("input, .nut-checkbox") ?? (consentBox() as HTMLElement));
    fireEvent.click(document.getElementById("survey-inv2-submit") as HTMLElement);
    expect(onSubmit).toHaveBeenLastCalledWith([{ questionId: "overall", value: 2 }], true);
  });
});
