/**
 * Runs a selection of cases, one after another (each owns the machine: clusters and
 * timing-sensitive client checks must not compete), and builds the report.
 */
import { AdapterProcess } from "../adapter/adapter-process.js";
import { ClusterUnderTest } from "../cluster/cluster-under-test.js";
import type { ConformanceCase } from "../case-format/case-types.js";
import { clientSide } from "../client/client-side.js";
import { serverSide } from "../server/server-side.js";
import type { RunEnvironment } from "./case-context.js";
import { classify, totals, type ReportRow, type RunReport } from "./report.js";
import { runCase } from "./run-case.js";

/** Which cases a run includes. */
export interface Selection {
  readonly sides: "server" | "client" | "both";
  readonly tier: "fast" | "full";
  /** Only cases whose id is one of these or starts with one followed by a dot (all when empty). */
  readonly only?: readonly string[];
}

/** Options of {@link runSuite}. */
export interface SuiteOptions extends Selection {
  readonly cases: readonly ConformanceCase[];
  /** Shell command of the server adapter (needed when a selected case has a cluster). */
  readonly adapterCommand: string;
  /** Shell command of the client driver (needed for client cases). */
  readonly driverCommand: string;
  readonly cwd: string;
  readonly knownFailing: ReadonlySet<string>;
  /** Called after each case (progress). */
  readonly onCase?: (row: ReportRow, index: number, total: number) => void;
  /** Called with every adapter stderr line (verbose mode). */
  readonly onAdapterStderr?: (line: string) => void;
}

/** The cases `sel` picks, in a stable order (server cases first, then by id). */
export function selectCases(cases: readonly ConformanceCase[], sel: Selection): ConformanceCase[] {
  return cases
    .filter((c) => sel.sides === "both" || c.side === sel.sides)
    .filter((c) => sel.tier === "full" || c.tier === "fast")
    .filter((c) => !sel.only?.length || sel.only.some((p) => c.id === p || c.id.startsWith(`${p}.`)))
    .sort((a, b) => (a.side === b.side ? a.id.localeCompare(b.id) : a.side === "server" ? -1 : 1));
}

/** Runs the selected cases and returns the report. Never throws for a failing case. */
export async function runSuite(o: SuiteOptions): Promise<RunReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const chosen = selectCases(o.cases, o);
  if (chosen.length === 0) throw new Error("no case matches the selection");
  const adapter = chosen.some((c) => c.cluster) ? await AdapterProcess.start(o.adapterCommand, o.cwd, o.onAdapterStderr) : undefined;
  const implementations = new Map<"server" | "client", string>(adapter ? [["server", adapter.hello.implementation]] : []);
  const env: RunEnvironment = { cwd: o.cwd, ...(adapter ? { adapter } : {}), driverCommand: o.driverCommand, implementations };
  const rows: ReportRow[] = [];
  try {
    for (const [i, c] of chosen.entries()) {
      const result = await runCase(c, c.side === "server" ? serverSide : clientSide, env);
      const [row] = classify([result], o.knownFailing);
      if (!row) continue;
      rows.push(row);
      o.onCase?.(row, i, chosen.length);
    }
  } finally {
    await ClusterUnderTest.stopAll();
    await adapter?.close();
  }
  const t = totals(rows);
  const hasServer = chosen.some((c) => c.side === "server");
  const hasClient = chosen.some((c) => c.side === "client");
  return {
    format: "synod-conformance-report/v1",
    startedAt,
    durationMs: Math.round(performance.now() - started),
    ...(hasServer || adapter ? { server: { adapter: o.adapterCommand, implementation: implementations.get("server") ?? "" } } : {}),
    ...(hasClient ? { client: { driver: o.driverCommand, implementation: implementations.get("client") ?? "" } } : {}),
    tier: o.tier,
    totals: t,
    passed: t.fail === 0 && t.fixed === 0,
    cases: rows,
  };
}
