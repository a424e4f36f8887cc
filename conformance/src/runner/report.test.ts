import { describe, expect, it } from "vitest";
import { parseKnownFailing } from "./known-failing.js";
import { classify, formatTable, totals, type RunReport } from "./report.js";
import type { CaseResult } from "./run-case.js";

const result = (id: string, passed: boolean): CaseResult => ({ id, side: "server", tier: "fast", title: id, passed, durationMs: 1200, log: [], ...(passed ? {} : { failure: "steps[0] append: boom" }) });

describe("known-failing lists and the report", () => {
  it("parses ids, ignoring comments and blank lines", () => {
    expect([...parseKnownFailing("# header\n\nserver.a  # why\nclient.b\n")]).toEqual(["server.a", "client.b"]);
  });

  it("classifies: listed failures are known, listed passes are flagged as fixed", () => {
    const rows = classify([result("a", true), result("b", false), result("c", false), result("d", true)], new Set(["c", "d"]));
    expect(rows.map((r) => r.status)).toEqual(["pass", "fail", "known-fail", "fixed"]);
    expect(totals(rows)).toEqual({ pass: 1, fail: 1, "known-fail": 1, fixed: 1 });
  });

  it("prints every case and the reason of each failure", () => {
    const rows = classify([result("server.ok", true), result("server.bad", false)], new Set());
    const report: RunReport = { format: "synod-conformance-report/v1", startedAt: "", durationMs: 2400, tier: "fast", totals: totals(rows), passed: false, cases: rows };
    const table = formatTable(report);
    expect(table).toMatch(/server\.ok\s+pass/);
    expect(table).toMatch(/✗ server\.bad \(fail\)[\s\S]*boom/);
    expect(table).toMatch(/2 cases: 1 passed, 1 failed/);
  });
});
