import { describe, expect, it } from "vitest";
import type { ConformanceCase, Step } from "../src/case-format/case-types.js";
import { coreOps } from "../src/ops/core-ops.js";
import { ok, type SideModule } from "../src/runner/case-context.js";
import { runCase } from "../src/runner/run-case.js";

const cleaned: string[] = [];
let counter = 0;
const side: SideModule = {
  ops: {
    ...coreOps,
    count: async () => ok({ n: ++counter }),
    fail: async (a) => ({ error: { code: String(a.code ?? "unavailable") } }),
    echo: async (a) => ok(a),
    hang: (_a, ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted")))),
    resource: async (a, ctx) => {
      ctx.defer(() => cleaned.push(String(a.name)));
      return ok({});
    },
  },
};

const caseOf = (steps: Step[], timeoutMs?: number): ConformanceCase => ({
  format: "synod-conformance/v1", id: "client.test.case", side: "client", tier: "fast", title: "t", steps, file: "t.yaml", ...(timeoutMs ? { timeoutMs } : {}),
});

describe("runCase", () => {
  it("passes when every outcome matches and saves outcomes for later steps", async () => {
    const r = await runCase(caseOf([
      { op: "echo", value: "12", save: "a" },
      { op: "echo", value: "${a.ok.value}", expect: { ok: { value: 12 } } },
      { op: "fail", code: "unavailable", expect: { error: { code: "unavailable" } } },
    ]), side, { cwd: "." });
    expect(r.failure).toBeUndefined();
    expect(r.passed).toBe(true);
  });

  it("fails an error outcome without an expectation, naming the step", async () => {
    const r = await runCase(caseOf([{ op: "echo" }, { op: "fail", code: "internal" }]), side, { cwd: "." });
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/steps\[1\] fail/);
    expect(r.failure).toMatch(/internal/);
  });

  it("fails a mismatch and an unknown operation or reference", async () => {
    expect((await runCase(caseOf([{ op: "echo", v: 1, expect: { ok: { v: 2 } } }]), side, { cwd: "." })).failure).toMatch(/expected 2, got 1/);
    expect((await runCase(caseOf([{ op: "nope" }]), side, { cwd: "." })).failure).toMatch(/unknown operation "nope"/);
    expect((await runCase(caseOf([{ op: "echo", v: "${x.ok}" }]), side, { cwd: "." })).failure).toMatch(/nothing was saved as "x"/);
  });

  it("repeats nested steps and polls with waitUntil", async () => {
    counter = 0;
    const r = await runCase(caseOf([
      { op: "repeat", times: 3, steps: [{ op: "count" }] },
      { op: "waitUntil", step: { op: "count" }, until: { ok: { n: 6 } }, intervalMs: 1, timeoutMs: 5000, expect: { ok: { attempts: 3 } } },
    ]), side, { cwd: "." });
    expect(r.failure).toBeUndefined();
  });

  it("times out a case, aborts its operations and still runs every cleanup", async () => {
    cleaned.length = 0;
    const r = await runCase(caseOf([{ op: "resource", name: "one" }, { op: "resource", name: "two" }, { op: "hang" }], 1000), side, { cwd: "." });
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/within 1000 ms/);
    expect(cleaned).toEqual(["two", "one"]);
  });

  it("refuses a cluster case when the run has no server adapter", async () => {
    const c = { ...caseOf([{ op: "waitLeader" }]), cluster: { nodes: 3 } };
    expect((await runCase(c, side, { cwd: "." })).failure).toMatch(/no server adapter/);
  });
});
