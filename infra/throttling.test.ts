import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_QUOTA,
  PEAK,
  PEAK_HOUSEHOLDS_PER_SECOND,
  PEAK_RPS,
  ROUTE_THROTTLES,
  STAGE_THROTTLE,
} from "../functions/domain/throttling.js";
import type { RouteDef } from "../functions/lib/route.js";
import { routes } from "../functions/routes.js";
import { buildApp } from "./stack.js";

/**
 * The deployed throttles are the documented sizing (functions/domain/throttling.ts and the README's
 * "Throttling" section): the stage default and every route setting, and nothing else.
 */
type Settings = { ThrottlingBurstLimit: number; ThrottlingRateLimit: number };
interface StageResource {
  Properties: {
    StageName: string;
    DefaultRouteSettings?: Settings;
    RouteSettings?: Record<string, Settings>;
  };
}

/** A production synth needs its guardrails satisfied (infra/stack.ts deployContext). */
const PROD_CONTEXT = {
  wechatAppId: "wx0123456789abcdef",
  corsOrigins: "https://h5.example.cn",
  domainName: "api.example.cn",
  certificateArn: "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0000-test",
  wechatTemplateNotice: "tmpl-test-notice",
  wechatTemplateAppointment: "tmpl-test-appointment",
};

function stageOf(stage: "dev" | "prod") {
  const context = { stage, "aws:cdk:bundling-stacks": [], ...(stage === "prod" ? PROD_CONTEXT : {}) };
  const { stack } = buildApp({ context });
  const stages = Object.values(Template.fromStack(stack).findResources("AWS::ApiGatewayV2::Stage"));
  expect(stages).toHaveLength(1);
  return (stages[0] as StageResource).Properties;
}

const settings = (t: { rate: number; burst: number }): Settings => ({
  ThrottlingBurstLimit: t.burst,
  ThrottlingRateLimit: t.rate,
});

describe("throttling sized for the stated peak", () => {
  it("derives the figures the README states", () => {
    // The README's table, figure by figure: a change here is a change there.
    expect(PEAK_HOUSEHOLDS_PER_SECOND).toBe(300);
    expect(PEAK_RPS.all).toBe(3_000);
    expect(PEAK_RPS.bookAppointment).toBe(600);
    expect(PEAK_RPS.listSlots).toBe(900);
    expect(STAGE_THROTTLE).toEqual({ rate: 4_500, burst: 4_500 });
    expect(ROUTE_THROTTLES.bookAppointment).toEqual({ rate: 900, burst: 900 });
    expect(ROUTE_THROTTLES.publishNotice).toEqual({ rate: 9, burst: 165 });
  });

  it("keeps every limit above its peak and within the account's regional quota", () => {
    expect(STAGE_THROTTLE.rate).toBeGreaterThanOrEqual(PEAK_RPS.all);
    // the stage default also serves each route without its own setting: the busiest of them fits
    expect(STAGE_THROTTLE.rate).toBeGreaterThanOrEqual(PEAK_RPS.listSlots * PEAK.headroom);
    expect(STAGE_THROTTLE.rate).toBeLessThanOrEqual(ACCOUNT_QUOTA.rate);
    expect(STAGE_THROTTLE.burst).toBeLessThanOrEqual(ACCOUNT_QUOTA.burst);
    expect(ROUTE_THROTTLES.bookAppointment.rate).toBeGreaterThanOrEqual(PEAK_RPS.bookAppointment);
    expect(ROUTE_THROTTLES.publishNotice.rate).toBeGreaterThanOrEqual(PEAK_RPS.publishNotice);
    expect(ROUTE_THROTTLES.publishNotice.burst).toBeGreaterThanOrEqual(PEAK.publishersAtOnce);
    // 200 accounts booking at the same instant (the API suite's check) are far below the peak
    expect(ROUTE_THROTTLES.bookAppointment.burst).toBeGreaterThanOrEqual(200);
  });

  it.each(["dev", "prod"] as const)(
    "puts the stage default and the route settings of the sizing module in the %s template",
    (stage) => {
      // Prepare
      const expectedRoutes = Object.fromEntries(
        (routes as readonly RouteDef[])
          .filter((r) => r.throttle && !r.localOnly)
          .map((r) => [`${r.method} ${r.path}`, settings(r.throttle as { rate: number; burst: number })]),
      );

      // Act
      const props = stageOf(stage);

      // Assess
      expect(props.StageName).toBe("$default");
      expect(props.DefaultRouteSettings).toMatchObject(settings(STAGE_THROTTLE));
      expect(props.RouteSettings).toEqual(expectedRoutes);
      expect(props.RouteSettings).toEqual({
        "POST /v1/appointments": settings(ROUTE_THROTTLES.bookAppointment),
        "POST /v1/notices": settings(ROUTE_THROTTLES.publishNotice),
      });
    },
    120_000,
  );

  it("takes every route throttle of the table from the sizing module", () => {
    const sized = new Set<object>(Object.values(ROUTE_THROTTLES));
    for (const r of routes as readonly RouteDef[]) {
      if (r.throttle) expect(sized.has(r.throttle), r.operationId).toBe(true);
    }
  });
});
