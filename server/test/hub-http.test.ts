import { afterEach, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./hub-harness.js";

let h: TestHub | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it("answers CORS preflights so browsers can call with a bearer token", async () => {
  h = await startTestHub();
  const res = await fetch(`${h.hub.clientUrl}/synod.v1.HubService/Status`, {
    method: "OPTIONS",
    headers: { origin: "http://app.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type,connect-protocol-version" },
  });
  expect(res.status).toBe(204);
  expect(res.headers.get("access-control-allow-origin")).toBe("http://app.example");
  expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  expect(res.headers.get("access-control-allow-methods")).toContain("POST");
});

it("serves a Connect unary call as plain JSON over HTTP/1.1 with CORS headers, 64-bit seqs as strings", async () => {
  h = await startTestHub();
  const headers = { "content-type": "application/json", authorization: `Bearer ${h.admin}`, origin: "http://app.example" };
  const append = await fetch(`${h.hub.clientUrl}/synod.v1.HubService/Append`, {
    method: "POST",
    headers,
    body: JSON.stringify({ entries: [{ id: "j1", type: "task", content: "from json" }] }),
  });
  expect(append.status).toBe(200);
  expect(append.headers.get("access-control-allow-origin")).toBe("http://app.example");
  expect(await append.json()).toMatchObject({ results: [{ id: "j1", seq: "1" }] });
});

it("GET /health needs no token and reports the role", async () => {
  h = await startTestHub();
  const res = await fetch(`${h.hub.clientUrl}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", role: "leader", quorum: true });
});

it("answers unimplemented, never a fake success, for RPCs not built (test control without its flag)", async () => {
  h = await startTestHub();
  const res = await fetch(`${h.hub.clientUrl}/synod.v1.ControlService/SetFailPoint`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${h.admin}` },
    body: JSON.stringify({ failPoint: { name: "x", action: "error" } }),
  });
  expect(res.status).toBe(501);
  expect(await res.json()).toMatchObject({ code: "unimplemented" });
});
