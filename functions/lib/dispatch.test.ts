import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { capabilityHandler, WARM_DETAIL_TYPE } from "./dispatch.js";
import type { RouteDef } from "./route.js";

const routes = [
  { operationId: "a", method: "GET", path: "/v1/a" },
  { operationId: "b", method: "POST", path: "/v1/b" },
] as unknown as readonly RouteDef[];

function fixture() {
  const loaded: string[] = [];
  const served: string[] = [];
  const loader = (name: string) => async () => {
    loaded.push(name);
    return {
      handler: async () => {
        served.push(name);
        return { statusCode: 200, body: name };
      },
    };
  };
  const handler = capabilityHandler(routes, { a: loader("a"), b: loader("b") } as never);
  return { handler, loaded, served };
}

const context = {} as Context;

describe("capabilityHandler", () => {
  it("serves the route API Gateway names, loading only its module", async () => {
    const { handler, loaded, served } = fixture();
    const answer = await handler({ routeKey: "POST /v1/b" } as APIGatewayProxyEventV2, context);
    expect(answer).toMatchObject({ statusCode: 200, body: "b" });
    expect(loaded).toEqual(["b"]);
    expect(served).toEqual(["b"]);
  });

  it("answers the keep-warm ping by initialising every route's module and serving none", async () => {
    const { handler, loaded, served } = fixture();
    const ping = { "detail-type": WARM_DETAIL_TYPE, source: "jiayi", detail: {} };
    expect(await handler(ping as unknown as APIGatewayProxyEventV2, context)).toEqual({ statusCode: 204 });
    expect(loaded.sort()).toEqual(["a", "b"]);
    expect(served).toEqual([]);
  });

  it("refuses a route key that is not bound to it", async () => {
    const { handler } = fixture();
    await expect(handler({ routeKey: "GET /v1/c" } as APIGatewayProxyEventV2, context)).rejects.toThrow(
      "No route GET /v1/c",
    );
  });
});
