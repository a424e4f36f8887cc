/**
 * The server operations against a real one-node hub, where a case cannot show it:
 * that checkHistory fails on a lost acknowledgement and on a listener that saw an
 * entry the log does not hold (forged through test-only operations), and that
 * waits and refusals come back as `error` outcomes, never as success.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterProcess } from "../src/adapter/adapter-process.js";
import type { ConformanceCase, Step } from "../src/case-format/case-types.js";
import { defaultAdapterCommand } from "../src/cli/main.js";
import { ok, type SideModule } from "../src/runner/case-context.js";
import { runCase } from "../src/runner/run-case.js";
import { appendHistoryOf } from "../src/server/append-history.js";
import { listenersOf } from "../src/server/listen-ops.js";
import { serverSide } from "../src/server/server-side.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let adapter: AdapterProcess | undefined;

beforeAll(async () => {
  adapter = await AdapterProcess.start(defaultAdapterCommand, repoRoot);
}, 120_000);
afterAll(async () => {
  await adapter?.close();
});

/** The server side plus two forgeries a correct server can never produce. */
const side: SideModule = {
  ...serverSide,
  ops: {
    ...serverSide.ops,
    forgeAck: async (a, ctx) => {
      appendHistoryOf(ctx).record([{ id: String(a.id), seq: BigInt(String(a.seq)) }], "majority");
      return ok({});
    },
    forgeMessage: async (a, ctx) => {
      const r = listenersOf(ctx).get(String(a.as));
      if (!r) throw new Error(`no listener ${String(a.as)}`);
      const seq = BigInt(String(a.seq));
      r.messages.push({ afterSeq: seq - 1n, throughSeq: seq, entries: [{ id: String(a.id), seq }], commitSeq: seq, leaderId: "", term: 0n });
      return ok({});
    },
  },
};

function oneNodeCase(steps: Step[]): ConformanceCase {
  return { format: "synod-conformance/v1", id: "server.test.ops", side: "server", tier: "fast", title: "ops", cluster: { nodes: 1 }, steps, file: "server-ops.test.ts", timeoutMs: 60_000 };
}

async function run(steps: Step[]) {
  if (!adapter) throw new Error("no adapter");
  return runCase(oneNodeCase(steps), side, { cwd: repoRoot, adapter });
}

describe("server operations on a real hub", () => {
  it("checkHistory passes a correct history and fails a lost ack and a listener entry not in the log", async () => {
    const r = await run([
      { op: "waitLeader" },
      { op: "append", node: "leader", entries: [{ id: "a-1" }] },
      { op: "listen", node: "leader", as: "l" },
      { op: "awaitListen", as: "l", throughSeq: 1 },
      { op: "checkHistory", expect: { ok: { violations: [], acknowledged: 1, listeners: 1 } } },
      { op: "forgeAck", id: "ghost", seq: 2 },
      { op: "append", node: "leader", entries: [{ id: "a-2" }] },
      { op: "forgeMessage", as: "l", seq: 2, id: "not-a-2" },
      { op: "checkHistory", expect: { error: { violations: { $and: [{ $contains: { $regex: "ghost" } }, { $contains: { $regex: "not-a-2" } }] } } } },
    ]);
    expect(r.failure).toBeUndefined();
  }, 90_000);

  it("a step without an expectation fails on a violation: checkHistory is never a silent pass", async () => {
    const r = await run([
      { op: "waitLeader" },
      { op: "forgeAck", id: "ghost", seq: 1 },
      { op: "checkHistory" },
    ]);
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/acknowledged append ghost \(seq 1\) is missing/);
  }, 90_000);

  it("unmet waits and refused calls are error outcomes", async () => {
    const r = await run([
      { op: "waitLeader" },
      { op: "listen", node: "leader", as: "l", heartbeatMs: 100 },
      { op: "awaitListen", as: "l", throughSeq: 5, timeoutMs: 500, expect: { error: { message: { $regex: "not reached within 500 ms" }, ended: false } } },
      { op: "failPoint", node: "leader", name: "append.nowhere", action: "error", expect: { error: { code: "invalid_argument", fieldViolations: [{ field: "fail_point.name" }] } } },
      { op: "append", node: "leader", entries: [{ id: "x" }], token: "none", expect: { error: { code: "unauthenticated" } } },
      { op: "append", node: "leader", entries: [{ id: "c" }], concurrency: 3, token: "bad", expect: { error: { okCount: 0, errorCount: 3 } } },
    ]);
    expect(r.failure).toBeUndefined();
  }, 90_000);
});
