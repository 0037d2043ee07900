import { fireEvent, render } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { byId } from "../../test-support/fake-api";
import { AudiencePicker, type AudienceValue } from "./AudiencePicker";

describe("AudiencePicker (notices and manual surveys)", () => {
  it("with one scope shows it as fixed and only toggles the priority groups", () => {
    const onChange = vi.fn();
    const value: AudienceValue = { scope: "team", teamId: "t1", groups: ["elderly"] };
    render(<AudiencePicker idPrefix="publish" scopes={["team"]} value={value} onChange={onChange} />);
    expect(document.getElementById("publish-scope-team")).toBeNull();
    expect(byId("publish-audience").textContent).toContain("受众：本团队签约居民");
    fireEvent.click(byId("publish-group-chronic"));
    expect(onChange).toHaveBeenLastCalledWith({ ...value, groups: ["elderly", "chronic"] });
    fireEvent.click(byId("publish-group-elderly"));
    expect(onChange).toHaveBeenLastCalledWith({ ...value, groups: [] });
  });

  it("lets a manager pick a team or the whole centre (which drops the team)", () => {
    const onChange = vi.fn();
    const teams = [
      { teamId: "t1", name: "第一团队" },
      { teamId: "t2", name: "第二团队" },
    ];
    const value: AudienceValue = { scope: "team", teamId: "t1", groups: [] };
    const { rerender } = render(
      <AudiencePicker
        idPrefix="survey"
        scopes={["team", "centre"]}
        teams={teams}
        value={value}
        onChange={onChange}
        errors={{ teamId: "请选择发放的团队" }}
      />,
    );
    expect(byId("survey-team-t1").className).toContain("chip--active");
    expect(byId("survey-team-error").textContent).toBe("请选择发放的团队");
    fireEvent.click(byId("survey-team-t2"));
    expect(onChange).toHaveBeenLastCalledWith({ ...value, teamId: "t2" });
    fireEvent.click(byId("survey-scope-centre"));
    expect(onChange).toHaveBeenLastCalledWith({ scope: "centre", teamId: null, groups: [] });

    rerender(
      <AudiencePicker
        idPrefix="survey"
        scopes={["team", "centre"]}
        teams={teams}
        value={{ scope: "centre", teamId: null, groups: [] }}
        onChange={onChange}
      />,
    );
    expect(document.getElementById("survey-team-t1")).toBeNull();
    expect(byId("survey-audience").textContent).toContain("受众：全中心签约居民");
  });
});
