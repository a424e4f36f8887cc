// Integration: the fake servers on 127.0.0.1:0, reached by raw Connect clients in
// every protocol and HTTP version, and by the SDK (the kind of client they exist for).
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient as createRpcClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { EntryInputSchema } from "@synod/proto/entry";
import { HubService } from "@synod/proto/hub";
import { createClient, isSynodError, type SynodClient } from "@synod/sdk/node";
import { afterEach, describe, expect, it } from "vitest";
import { Bindings } from "../src/case-format/bindings.js";
import type { CaseContext } from "../src/runner/case-context.js";
import { startFakeServers, type ScriptedFakeServers } from "../src/client/fake-server/start-fake-servers.js";

const cleanups: (() => unknown)[] = [];
const clients: SynodClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** The parts of a CaseContext the fake servers use. */
function caseContext(): CaseContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    bindings: new Bindings(),
    log: (line: string) => lines.push(line),
    defer: (fn: () => unknown) => cleanups.push(fn),
    state: new Map(),
    signal: new AbortController().signal,
    lines,
  } as unknown as CaseContext & { lines: string[] };
}

async function start(spec: Record<string, unknown>): Promise<ScriptedFakeServers & { ctx: ReturnType<typeof caseContext> }> {
  const ctx = caseContext();
  const servers = await startFakeServers(spec, ctx);
  return Object.assign(servers, { ctx });
}

function sdk(peers: string[], options: Parameters<typeof createClient>[0] extends infer O ? Partial<O> : never = {}): SynodClient {
  const client = createClient({ peers, refreshPeersMs: 0, backoff: { baseMs: 5, capMs: 20 }, ...options });
  clients.push(client);
  return client;
}

const entry = (id: string) => create(EntryInputSchema, { id, type: "task", content: id });

const transports: [string, string, (baseUrl: string) => Transport][] = [
  ["connect", "2", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "2" })],
  ["connect", "1.1", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false })],
  ["grpc", "2", (baseUrl) => createGrpcTransport({ baseUrl })],
  ["grpc-web", "2", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "2" })],
  ["grpc-web", "1.1", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })],
];

describe("startFakeServers", () => {
  it.each(transports)("answers %s over HTTP/%s from the script and records how", async (protocol, http, transport) => {
    const fake = await start({
      a: {
        Append: [{ error: { code: "unavailable", notLeader: { leader: "b", term: 4 } } }, { ok: "auto" }],
        Listen: [{ stream: [{ batch: { after: 0, through: 1, ids: ["e1"] } }, { end: { code: "unavailable" } }] }],
      },
      b: {},
    });
    const hub = createRpcClient(HubService, transport(fake.url("a")));
    const refused = await hub.append({ entries: [entry("e1")] }).catch((e: unknown) => ConnectError.from(e));
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.Unavailable);
    expect((refused as ConnectError).findDetails((await import("@synod/proto/errors")).NotLeaderSchema)[0]).toMatchObject({
      leaderId: "b",
      leaderUrl: fake.url("b"),
      term: 4n,
    });
    const ok = await hub.append({ entries: [entry("e1")] });
    expect(ok.results).toMatchObject([{ id: "e1", seq: 1n, duplicate: false }]);
    const messages: bigint[] = [];
    const ended = await (async () => {
      for await (const m of hub.listen({ afterSeq: 0n })) messages.push(m.throughSeq);
    })().catch((e: unknown) => ConnectError.from(e));
    expect(messages).toEqual([1n]);
    expect((ended as ConnectError).code).toBe(Code.Unavailable);
    const recorded = fake.requests("a");
    expect(recorded.map((r) => [r.method, r.answered])).toEqual([
      ["Append", "error:unavailable+notLeader"],
      ["Append", "ok:auto"],
      ["Listen", "stream(1 batch, 0 heartbeats, end:unavailable)"],
    ]);
    expect(recorded.every((r) => r.protocol === protocol && r.httpVersion === (http === "2" ? "2.0" : "1.1"))).toBe(true);
    expect(recorded[0]?.ids).toEqual(["e1"]);
    expect(recorded[2]?.body).toMatchObject({ afterSeq: "0" });
  });

  it("answers unscripted RPCs unimplemented, and records them", async () => {
    const fake = await start({ a: {} });
    const error = await sdk([fake.url("a")]).status().catch((e: unknown) => e);
    expect(isSynodError(error, "unimplemented")).toBe(true);
    expect(fake.requests().map((r) => [r.server, r.method, r.answered])).toEqual([["a", "Status", "unscripted"]]);
  });

  it("refuses connections to a down server: the SDK knows nothing was sent", async () => {
    const fake = await start({ a: { down: true }, b: { Register: [{ ok: "auto" }] } });
    const client = sdk([fake.url("a")], { retryBudget: { maxTokens: 0 } });
    const error = await client.register("x").catch((e: unknown) => e);
    expect(isSynodError(error, "retryBudgetExhausted")).toBe(true);
    expect((error as Error).cause).toMatchObject({ kind: "unavailable", failure: "notExecuted" });
  });

  it.each(["2", "1.1"] as const)("drops a request after reading it (HTTP/%s): outcome unknown, unsafe calls not retried", async (httpVersion) => {
    const fake = await start({ a: { Register: [{ drop: true }, { ok: "auto" }] } });
    const error = await sdk([fake.url("a")], { httpVersion }).register("x").catch((e: unknown) => e);
    expect(isSynodError(error)).toBe(true);
    expect((error as { failure: string }).failure).toBe("outcomeUnknown");
    expect(fake.requests("a", "Register").map((r) => r.answered)).toEqual(["drop:stream"]);
  });

  it("drops the whole connection on drop: connection", async () => {
    const fake = await start({ a: { Register: [{ drop: "connection" }] } });
    const error = await sdk([fake.url("a")]).register("x").catch((e: unknown) => e);
    expect((error as { failure: string }).failure).toBe("outcomeUnknown");
  });

  it("applies an append before dropping its answer: the retry with the same ids is a duplicate", async () => {
    const fake = await start({ a: { Append: [{ ok: "auto", drop: true }, { ok: "auto" }] } });
    const result = await sdk([fake.url("a")]).append({ type: "task", content: "once" });
    expect(result).toMatchObject({ seq: 1n, duplicate: true });
    const appends = fake.requests("a", "Append");
    expect(appends.map((r) => r.answered)).toEqual(["ok:auto+drop:stream", "ok:auto"]);
    expect(appends[0]?.ids).toEqual(appends[1]?.ids);
    expect(fake.logEntries()).toEqual([{ seq: "1", id: result.id }]);
  });

  it("holds a hanging request until the client's deadline and waits delayMs before answering", async () => {
    const fake = await start({ a: { Read: [{ hang: true }, { ok: "auto", delayMs: 150 }] } });
    const client = sdk([fake.url("a")], { timeoutMs: 300, retryBudget: false });
    const t0 = performance.now();
    const error = await client.read().catch((e: unknown) => e);
    expect(isSynodError(error, "deadlineExceeded")).toBe(true);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    const reads = fake.requests("a", "Read");
    const t1 = performance.now();
    await client.read({ timeoutMs: 5_000 });
    expect(performance.now() - t1).toBeGreaterThanOrEqual(145);
    expect(fake.requests("a", "Read").length).toBeGreaterThan(reads.length);
  });

  it("plays a listen stream with a gap: the SDK refuses to deliver past it", async () => {
    const fake = await start({
      a: { Listen: [{ stream: [{ batch: { after: 0, through: 2, ids: ["x1", "x2"] } }, { batch: { after: 3, through: 4, ids: ["x4"] } }, { silent: true }] }] },
    });
    const seen: bigint[] = [];
    const error = await (async () => {
      for await (const b of sdk([fake.url("a")]).listen({ heartbeatMs: 1000 })) seen.push(...b.entries.map((e) => e.seq));
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1n, 2n]);
    expect(isSynodError(error, "invariant")).toBe(true);
  });

  it("resumes a listener on the next scripted stream, recording its afterSeq", async () => {
    const fake = await start({
      a: {
        Listen: [
          { stream: [{ batch: { after: 0, through: 2, ids: ["x1", "x2"] } }, { drop: true }] },
          { stream: [{ batch: { after: 2, through: 3, ids: ["x3"] } }, { silent: true }] },
        ],
      },
    });
    const abort = new AbortController();
    const seen: bigint[] = [];
    for await (const b of sdk([fake.url("a")]).listen({ heartbeatMs: 1000, signal: abort.signal })) {
      seen.push(...b.entries.map((e) => e.seq));
      if (b.throughSeq === 3n) break;
    }
    expect(seen).toEqual([1n, 2n, 3n]);
    expect(fake.requests("a", "Listen").map((r) => (r.body as { afterSeq: string }).afterSeq)).toEqual(["0", "2"]);
  });

  it("waits for requests without polling and times out when they do not come", async () => {
    const fake = await start({ a: { Read: [{ ok: "auto", delayMs: 50 }] } });
    const waiting = fake.waitForRequests({ method: "Read" }, 2, 5_000);
    const client = sdk([fake.url("a")]);
    await client.read();
    await client.read();
    expect(await waiting).toBe(true);
    expect(await fake.waitForRequests({ method: "Read" }, 3, 50)).toBe(false);
  });

  it("ends hanging and silent answers when it closes, and sets the fakeServers binding", async () => {
    const fake = await start({ a: { Read: [{ hang: true }], Listen: [{ stream: [{ heartbeat: { through: 0 } }, { silent: true }] }] }, b: { down: true } });
    expect(fake.ctx.bindings.lookup("fakeServers.a.url")).toBe(fake.url("a"));
    expect(fake.ctx.bindings.lookup("fakeServers.b.port")).toBe(Number(new URL(fake.url("b")).port));
    // A raw client has no retries: each call ends exactly when the server lets go.
    const hub = createRpcClient(HubService, createConnectTransport({ baseUrl: fake.url("a"), httpVersion: "2" }));
    const read = hub.read({}).then(
      () => "answered",
      (e: unknown) => ConnectError.from(e).code,
    );
    const heartbeats: bigint[] = [];
    let firstMessage = (): void => undefined;
    const gotMessage = new Promise<void>((resolve) => (firstMessage = resolve));
    const listen = (async () => {
      for await (const m of hub.listen({})) {
        heartbeats.push(m.throughSeq);
        firstMessage();
      }
      return "ended cleanly";
    })().catch((e: unknown) => ConnectError.from(e).code);
    await gotMessage;
    expect(await fake.waitForRequests({ method: ["Read", "Listen"] }, 2, 5_000)).toBe(true);
    await fake.close();
    expect(await read).not.toBe("answered");
    expect(await listen).not.toBe("ended cleanly");
    expect(heartbeats).toEqual([0n]);
  });

  it("refuses a bad script before serving, leaving nothing bound", async () => {
    const ctx = caseContext();
    await expect(startFakeServers({ a: { Append: [{ error: { code: "unavailable", notLeader: { leader: "zz" } } }] } }, ctx)).rejects.toThrow(
      /fakeServers\.a\.Append\[0\]\.error\.notLeader\.leader/,
    );
  });

  it("answers CORS preflights, so a browser client can be the client under test", async () => {
    const fake = await start({ a: { Status: [{ ok: "auto" }] } });
    const res = await fetch(`${fake.url("a")}/synod.v1.HubService/Status`, {
      method: "OPTIONS",
      headers: { origin: "http://page.test", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://page.test");
    expect(res.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    expect(fake.requests()).toEqual([]);
  });

  it("writes every request to the case log when it closes", async () => {
    const fake = await start({ a: { Append: [{ ok: "auto" }] } });
    await sdk([fake.url("a")]).append({ id: "log-me", type: "task", content: "x" });
    for (const fn of cleanups.splice(0).reverse()) await fn();
    expect(fake.ctx.lines.join("\n")).toMatch(/received 1 request\(s\):\n.*a Append ids=log-me → ok:auto \(connect, HTTP\/2\.0\)/);
  });
});
