import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { api, stack, uniqueOpenid } from "./support/api.js";

describe("platform over HTTP", () => {
  it("reports health 200 with the database reachable and a request id", async () => {
    const res = await api("GET", "/v1/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/[0-9a-f-]{36}/);
  });

  it("answers unknown routes with the shared error shape", async () => {
    const res = await api("GET", "/v1/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("serves an OpenAPI 3.1 document listing every operation of API.md", async () => {
    const res = await api("GET", "/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const ids = Object.values(
      res.body.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((item) => Object.values(item).map((op) => op.operationId));
    for (const id of [
      "health",
      "getConfig",
      "wechatLogin",
      "devLogin",
      "getMe",
      "updateMyProfile",
      "addFamilyMember",
    ]) {
      expect(ids).toContain(id);
    }
    expect(
      res.body.paths["/v1/me/profile"].put.requestBody.content["application/json"].schema.properties,
    ).toHaveProperty("idNumber");
  });

  it("rejects bodies over 64 KB with 413 and non-JSON bodies with 415", async () => {
    const big = await api("POST", "/v1/auth/dev-login", { body: { openid: "x".repeat(70_000) } });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe("PAYLOAD_TOO_LARGE");
    const text = await api("POST", "/v1/auth/dev-login", {
      rawBody: "openid=a",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
  });

  it("keeps serving a keep-alive connection after a 413, and marks every answer no-store, nosniff", async () => {
    // Prepare: one connection for both requests.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; socket: unknown }>(
        (resolve, reject) => {
          const req = request(
            `${stack().url}/v1/auth/dev-login`,
            { method: "POST", agent, headers: { "content-type": "application/json" } },
            (res) => {
              res.resume();
              res.on("end", () =>
                resolve({ status: res.statusCode ?? 0, headers: res.headers, socket: req.socket }),
              );
            },
          );
          req.on("error", reject);
          req.end(body);
        },
      );
    try {
      // Act
      const big = await send(JSON.stringify({ openid: "x".repeat(70_000) }));
      const next = await send(JSON.stringify({ openid: uniqueOpenid("after-413") }));
      // Assess
      expect(big.status).toBe(413);
      expect(next.status).toBe(200);
      expect(next.socket).toBe(big.socket);
      for (const answer of [big, next]) {
        expect(answer.headers["cache-control"]).toBe("no-store");
        expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      }
    } finally {
      agent.destroy();
    }
  });

  it("answers a CORS preflight as API Gateway would", async () => {
    const res = await api("OPTIONS", "/v1/me", {
      headers: { origin: "http://localhost:10086", "access-control-request-method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("returns the config with versions and refuses an outdated version with 409", async () => {
    const ok = await api("GET", "/v1/config");
    expect(ok.status).toBe(200);
    expect(ok.body.settings.teamCapacityHouseholds).toBe(600);
    const old = await api("GET", "/v1/config?privacyPolicyVersion=2020-01");
    expect(old.status).toBe(409);
    expect(old.body.error.code).toBe("VERSION_OUTDATED");
  });

  it("serves the deployment's subscribe template ids by purpose, null where unset", async () => {
    const res = await api("GET", "/v1/config");
    expect(res.status).toBe(200);
    // The local deployment sets every template, as a production one does.
    expect(res.body.subscribeTemplates).toEqual({
      visitReminder: "tmpl-appointment-reminder",
      notice: "tmpl-health-notice",
      contractResult: "tmpl-contract-result",
      survey: "tmpl-survey-invitation",
    });
  });
});
