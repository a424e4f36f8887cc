/**
 * `npm run bench`: single-node and 3-node numbers, printed as tables and
 * written to bench-results/<timestamp>.json with the machine and settings.
 * Each throughput configuration runs `--runs` times on a fresh hub or cluster
 * and the tables show medians.
 *
 * Flags: --only single|cluster, --runs N, --duration-ms N, --content-bytes N,
 * --failover-trials N, --catchup-entries N, --steady-seconds N,
 * --election-timeout-ms N, --heartbeat-ms N.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import { appendLoad, type LoadResult, type LoadSpec } from "./append-load.js";
import { catchUp, failoverGaps, replicationLag, steadyRun, throughput, type ClusterBenchSettings } from "./cluster-bench.js";
import { startBenchHub } from "./hub-process.js";
import { median, round } from "./stats.js";

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "" },
    runs: { type: "string", default: "3" },
    "duration-ms": { type: "string", default: "3000" },
    "content-bytes": { type: "string", default: "200" },
    "failover-trials": { type: "string", default: "20" },
    "catchup-entries": { type: "string", default: "50000" },
    "steady-seconds": { type: "string", default: "30" },
    "election-timeout-ms": { type: "string", default: "300" },
    "heartbeat-ms": { type: "string", default: "50" },
  },
});
const runs = Number(values.runs);
const durationMs = Number(values["duration-ms"]);
const contentBytes = Number(values["content-bytes"]);

function printTable(title: string, rows: readonly Record<string, unknown>[]): void {
  const cols = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => cols.map((c) => String(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((l) => (l[i] ?? "").length)));
  console.log(`\n${title}`);
  console.log(cols.map((c, i) => c.padStart(widths[i] ?? 0)).join("  "));
  for (const l of cells) console.log(l.map((c, i) => c.padStart(widths[i] ?? 0)).join("  "));
}

async function singleNode() {
  const rows = [];
  for (const inFlight of [1, 64]) {
    for (const batch of [1, 100]) {
      const spec: LoadSpec = { inFlight, batch, durationMs, contentBytes };
      const results: LoadResult[] = [];
      for (let r = 0; r < runs; r++) {
        const hub = await startBenchHub();
        try {
          results.push(await appendLoad(hub.url, hub.token, spec));
        } finally {
          await hub.stop();
        }
        process.stderr.write(".");
      }
      rows.push({ inFlight, batch, entriesPerSec: round(median(results.map((x) => x.entriesPerSec)), 0), p50Ms: round(median(results.map((x) => x.p50Ms)), 2), p99Ms: round(median(results.map((x) => x.p99Ms)), 2), errors: results.reduce((a, x) => a + x.errors, 0) });
    }
  }
  printTable(`Single node, Append over HTTP/2, fsync on, ${contentBytes}-byte entries; medians of ${runs} runs of ${durationMs} ms`, rows);
  return rows;
}

async function cluster() {
  const s: ClusterBenchSettings = {
    runs, durationMs, contentBytes,
    failoverTrials: Number(values["failover-trials"]),
    catchupEntries: Number(values["catchup-entries"]),
    steadySeconds: Number(values["steady-seconds"]),
    timers: { electionMs: Number(values["election-timeout-ms"]), heartbeatMs: Number(values["heartbeat-ms"]) },
  };
  const tput = await throughput(s);
  printTable(`3 nodes, MAJORITY appends to the leader, fsync on; medians of ${runs} runs of ${durationMs} ms`, tput);
  const lag = await replicationLag(s);
  printTable("Replication lag: leader acknowledgement → arrival at a follower's listener (16 writers)", [lag]);
  const cu = await catchUp(s);
  printTable("Catch-up of a restarted follower", [cu]);
  const fo = await failoverGaps(s);
  printTable(`Client-observed write gap when the leader is killed (SDK, 4 writers; election ${s.timers.electionMs} ms, heartbeat ${s.timers.heartbeatMs} ms)`, [fo]);
  const steady = await steadyRun(s);
  printTable("Steady run at high load", [{ seconds: steady.seconds, entriesPerSec: steady.load.entriesPerSec, p99Ms: steady.load.p99Ms, errors: steady.load.errors, leaderChanges: steady.leaderChanges }]);
  return { settings: s, throughput: tput, replicationLag: lag, catchUp: cu, failover: fo, steady };
}

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), platform: `${os.platform()} ${os.release()}` },
  node: process.version,
  transport: "connect-node HTTP/2, binary protobuf",
};
if (values.only !== "cluster") report.singleNode = await singleNode();
if (values.only !== "single") report.cluster = await cluster();
await mkdir("bench-results", { recursive: true });
const file = `bench-results/bench-${String(report.date).replace(/[:.]/g, "-")}.json`;
await writeFile(file, JSON.stringify(report, null, 2) + "\n");
console.log(`\nwritten ${file}`);
