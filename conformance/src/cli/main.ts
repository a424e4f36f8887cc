/**
 * `synod-conformance server|client|both`: runs the suite against a server (through
 * an adapter command) and/or a client (through a driver command), prints a table and
 * writes a JSON report. Exit 0 when every case passed, 1 when one failed, 2 for
 * usage errors and case files that do not match the schema.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { casesDir, loadCases } from "../case-format/load-cases.js";
import { ClusterUnderTest } from "../cluster/cluster-under-test.js";
import { JsonLinesProcess } from "../process/json-lines-process.js";
import { readKnownFailing } from "../runner/known-failing.js";
import { formatTable } from "../runner/report.js";
import { runSuite, selectCases } from "../runner/run-suite.js";

/** The repository root (our adapter and driver are run from here). */
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const suiteDir = fileURLToPath(new URL("../../", import.meta.url));

/** Our own server adapter and SDK driver: the defaults. */
export const defaultAdapterCommand = `"${process.execPath}" --import tsx "${resolve(suiteDir, "adapters/synod-server-adapter.ts")}"`;
export const defaultDriverCommand = `"${process.execPath}" --import tsx "${resolve(suiteDir, "drivers/synod-sdk-driver.ts")}"`;

const usage = `usage: synod-conformance <server|client|both> [options]

Checks a Synod server and/or client against the protocol (docs/conformance.md).

  server   start clusters through --adapter and drive them with the reference client
  client   run the client behind --driver against scripted fake servers and live clusters
  both     both of the above

options:
  --adapter <command>      server adapter (default: Synod's own hub)
  --driver <command>       client driver (default: Synod's TypeScript SDK)
  --tier <fast|full>       fast: the quick subset run by npm test; full: every case (default)
  --only <id>              only this case, or the cases under it: server.dedup (repeatable)
  --known-failing <file>   case ids expected to fail (repeatable; defaults to Synod's own,
                           empty, lists when --adapter/--driver are the defaults)
  --report <file>          JSON report (default: conformance-report.json)
  --cases <dir>            case folder (default: the suite's cases)
  --list                   print the selected cases and exit
  --verbose                print each case's log and the adapter's stderr as it runs
  -h, --help               this text`;

/** Runs the command line; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        adapter: { type: "string" },
        driver: { type: "string" },
        tier: { type: "string", default: "full" },
        only: { type: "string", multiple: true },
        "known-failing": { type: "string", multiple: true },
        report: { type: "string", default: "conformance-report.json" },
        cases: { type: "string" },
        list: { type: "boolean" },
        verbose: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n\n${usage}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const sides = positionals[0];
  if (positionals.length !== 1 || (sides !== "server" && sides !== "client" && sides !== "both")) {
    process.stderr.write(`expected exactly one of server, client, both\n\n${usage}\n`);
    return 2;
  }
  if (v.tier !== "fast" && v.tier !== "full") {
    process.stderr.write(`--tier must be fast or full, not ${v.tier}\n`);
    return 2;
  }
  const tier = v.tier;
  let cases;
  try {
    cases = await loadCases(v.cases ? resolve(v.cases) : casesDir);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const sel = { sides, tier, only: v.only ?? [] } as const;
  if (v.list) {
    for (const c of selectCases(cases, sel)) process.stdout.write(`${c.id.padEnd(56)} ${c.side.padEnd(6)} ${c.tier.padEnd(4)} ${c.title}\n`);
    return 0;
  }
  const lists = v["known-failing"] ?? [
    ...(v.adapter === undefined ? [resolve(suiteDir, "known-failing/synod-server.txt")] : []),
    ...(v.driver === undefined ? [resolve(suiteDir, "known-failing/synod-sdk.txt")] : []),
  ];
  const knownFailing = await readKnownFailing(lists);
  const unknown = [...knownFailing].filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length > 0) process.stderr.write(`warning: known-failing ids that are not cases: ${unknown.join(", ")}\n`);
  stopEverythingOnExit();
  const total = selectCases(cases, sel).length;
  process.stderr.write(`running ${total} ${tier === "fast" ? "fast " : ""}case(s)\n`);
  let report;
  try {
    report = await runSuite({
      ...sel, cases, cwd: repoRoot, knownFailing,
      adapterCommand: v.adapter ?? defaultAdapterCommand,
      driverCommand: v.driver ?? defaultDriverCommand,
      onCase: (row, i, n) => {
        process.stderr.write(`[${i + 1}/${n}] ${row.status.padEnd(10)} ${row.id} (${(row.durationMs / 1000).toFixed(1)}s)\n`);
        if (v.verbose || row.status === "fail") process.stderr.write(`${row.log.map((l) => `    ${l}`).join("\n")}\n`);
      },
      ...(v.verbose ? { onAdapterStderr: (line: string) => process.stderr.write(`    adapter: ${line}\n`) } : {}),
    });
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  await writeFile(v.report, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatTable(report)}\nreport: ${resolve(v.report)}\n`);
  return report.passed ? 0 : 1;
}

/**
 * Ctrl-C or SIGTERM stops the clusters (removing their data) and kills the adapter
 * and drivers with everything they started; any other exit kills the processes.
 */
function stopEverythingOnExit(): void {
  process.on("exit", () => JsonLinesProcess.killAll());
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping clusters and processes\n`);
    const forced = setTimeout(() => process.exit(130), 10_000);
    void ClusterUnderTest.stopAll().finally(() => {
      clearTimeout(forced);
      process.exit(130);
    });
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
}
