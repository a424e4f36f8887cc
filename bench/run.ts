/**
 * `npm run bench`: single-node append throughput and latency with fsync on,
 * for 1 and 64 appends in flight and batches of 1 and 100 entries. Each
 * configuration runs `--runs` times (default 3) on a fresh hub; the table
 * shows medians. Results go to bench-results/<timestamp>.json with the
 * machine, versions and settings.
 *
 * Flags: --runs N, --duration-ms N, --content-bytes N.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { parseArgs } from "node:util";
import { appendLoad, type LoadResult, type LoadSpec } from "./append-load.js";
import { startBenchHub } from "./hub-process.js";
import { median, round } from "./stats.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "duration-ms": { type: "string", default: "3000" },
    "content-bytes": { type: "string", default: "200" },
  },
});
const runs = Number(values.runs);
const durationMs = Number(values["duration-ms"]);
const contentBytes = Number(values["content-bytes"]);

const configs: LoadSpec[] = [1, 64].flatMap((inFlight) => [1, 100].map((batch) => ({ inFlight, batch, durationMs, contentBytes })));

interface Row {
  readonly spec: LoadSpec;
  readonly runs: LoadResult[];
  readonly median: { entriesPerSec: number; p50Ms: number; p99Ms: number };
}

async function measure(spec: LoadSpec): Promise<Row> {
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
  return {
    spec,
    runs: results,
    median: {
      entriesPerSec: round(median(results.map((r) => r.entriesPerSec)), 0),
      p50Ms: round(median(results.map((r) => r.p50Ms)), 2),
      p99Ms: round(median(results.map((r) => r.p99Ms)), 2),
    },
  };
}

const rows: Row[] = [];
process.stderr.write(`single node, fsync on: ${configs.length} configurations x ${runs} runs x ${durationMs} ms\n`);
for (const spec of configs) rows.push(await measure(spec));
process.stderr.write("\n");

const header = ["in flight", "batch", "entries/s", "p50 ms", "p99 ms", "errors"];
const lines = rows.map((r) => [String(r.spec.inFlight), String(r.spec.batch), String(r.median.entriesPerSec), String(r.median.p50Ms), String(r.median.p99Ms), String(r.runs.reduce((a, x) => a + x.errors, 0))]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
const fmt = (cols: string[]) => cols.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
console.log(`\nSingle node, Append over HTTP/2 (Connect, binary), fsync on, ${contentBytes}-byte entries; medians of ${runs} runs of ${durationMs} ms`);
console.log(fmt(header));
for (const l of lines) console.log(fmt(l));

const report = {
  benchmark: "single-node-append",
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: round(os.totalmem() / 2 ** 30, 1), platform: `${os.platform()} ${os.release()}` },
  node: process.version,
  settings: { runs, durationMs, contentBytes, transport: "connect-node HTTP/2, binary" },
  results: rows,
};
await mkdir("bench-results", { recursive: true });
const file = `bench-results/single-node-${report.date.replace(/[:.]/g, "-")}.json`;
await writeFile(file, JSON.stringify(report, null, 2) + "\n");
console.log(`\nwritten ${file}`);
