/** The run report: JSON for machines, a table for people. */
import type { CaseResult } from "./run-case.js";

/** How a case ended, once known-failing lists are applied. */
export type CaseStatus = "pass" | "fail" | "known-fail" | "fixed";

/** One row of the report. */
export interface ReportRow extends CaseResult {
  readonly status: CaseStatus;
}

/** The JSON report (`--report`). */
export interface RunReport {
  readonly format: "synod-conformance-report/v1";
  readonly startedAt: string;
  readonly durationMs: number;
  readonly server?: { readonly adapter: string; readonly implementation: string };
  readonly client?: { readonly driver: string; readonly implementation: string };
  readonly tier: "fast" | "full";
  readonly totals: Readonly<Record<CaseStatus, number>>;
  /** True when no case has status `fail` or `fixed`. */
  readonly passed: boolean;
  readonly cases: readonly ReportRow[];
}

/** Applies the known-failing ids to results. */
export function classify(results: readonly CaseResult[], knownFailing: ReadonlySet<string>): ReportRow[] {
  return results.map((r) => ({
    ...r,
    status: knownFailing.has(r.id) ? (r.passed ? "fixed" : "known-fail") : r.passed ? "pass" : "fail",
  }));
}

/** Counts per status. */
export function totals(rows: readonly ReportRow[]): Record<CaseStatus, number> {
  const t: Record<CaseStatus, number> = { pass: 0, fail: 0, "known-fail": 0, fixed: 0 };
  for (const r of rows) t[r.status]++;
  return t;
}

/** The readable table: one line per case, then failures with their reasons, then totals. */
export function formatTable(report: RunReport): string {
  const idWidth = Math.min(60, Math.max(4, ...report.cases.map((c) => c.id.length)));
  const lines: string[] = [];
  if (report.server) lines.push(`server: ${report.server.implementation || "?"} (adapter: ${report.server.adapter})`);
  if (report.client) lines.push(`client: ${report.client.implementation || "?"} (driver: ${report.client.driver})`);
  lines.push(`${"case".padEnd(idWidth)}  ${"status".padEnd(10)}  ${"time".padStart(7)}`);
  for (const c of report.cases) lines.push(`${c.id.padEnd(idWidth)}  ${c.status.padEnd(10)}  ${`${(c.durationMs / 1000).toFixed(1)}s`.padStart(7)}`);
  const bad = report.cases.filter((c) => c.status === "fail" || c.status === "fixed");
  for (const c of bad) {
    lines.push("", `✗ ${c.id} (${c.status}): ${c.title}`);
    lines.push(c.status === "fixed" ? "  passes but is on the known-failing list: remove it from the list" : indent(c.failure ?? "", "  "));
  }
  const t = report.totals;
  lines.push("", `${report.cases.length} cases: ${t.pass} passed, ${t.fail} failed, ${t["known-fail"]} known failing, ${t.fixed} fixed but still listed (${(report.durationMs / 1000).toFixed(1)} s)`);
  return lines.join("\n");
}

function indent(text: string, by: string): string {
  return text
    .split("\n")
    .map((l) => by + l)
    .join("\n");
}
