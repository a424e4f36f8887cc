/**
 * Log store benchmark: writes 1,000,000 entries (~200-byte content) in big
 * group-committed batches, reopens the log in a fresh process (recovery scan),
 * and measures memory, reads and id lookups.
 *
 * Run: npx tsx server/bench/storage/million.ts [--entries N] [--dir D] [--keep]
 * Prints a table and one JSON line with the machine, versions and settings.
 */
import { fork } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { raftIndex, seq, term, type LogRecord } from "../../src/raft/types.js";
import { LogStore } from "../../src/storage/log-store.js";

const BATCH_ENTRIES = 2_000;
const CONCURRENT_APPENDS = 4;
const CONTENT = "x".repeat(200);

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function entryId(n: number): string {
  return `0190a1b2-c3d4-7e5f-8a9b-${n.toString(16).padStart(12, "0")}`;
}

function makeRecord(n: number): LogRecord {
  return {
    index: raftIndex(n),
    term: term(1),
    payload: {
      kind: "entry",
      entry: {
        id: entryId(n),
        type: n % 4 === 0 ? "task" : "decision",
        content: CONTENT,
        meta: {},
        createdAtMs: 1_700_000_000_000 + n,
        seq: seq(n),
        origin: n % 2 === 0 ? "alice" : "bob",
        term: term(1),
        committedAtMs: 0,
      },
    },
  };
}

async function writePhase(dir: string, entries: number): Promise<Record<string, number>> {
  const fsyncMs: number[] = [];
  const store = await LogStore.open(dir, { onFsync: (ms) => fsyncMs.push(ms) });
  const started = performance.now();
  let next = 1;
  while (next <= entries) {
    const calls: Promise<void>[] = [];
    for (let c = 0; c < CONCURRENT_APPENDS && next <= entries; c++) {
      const count = Math.min(BATCH_ENTRIES, entries - next + 1);
      calls.push(store.append(Array.from({ length: count }, (_, i) => makeRecord(next + i))));
      next += count;
    }
    await Promise.all(calls);
  }
  const elapsedMs = performance.now() - started;
  const stats = store.stats();
  await store.close();
  fsyncMs.sort((a, b) => a - b);
  return {
    writeMs: elapsedMs,
    entriesPerSec: (entries / elapsedMs) * 1000,
    mbPerSec: stats.bytes / 1e6 / (elapsedMs / 1000),
    bytes: stats.bytes,
    fsyncs: stats.fsyncs,
    fsyncP50Ms: fsyncMs[Math.floor(fsyncMs.length / 2)] ?? 0,
    fsyncP99Ms: fsyncMs[Math.floor(fsyncMs.length * 0.99)] ?? 0,
  };
}

function memory(): Record<string, number> {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 };
}

function randomInt(maxExclusive: number, state: { s: number }): number {
  state.s = (Math.imul(state.s, 1664525) + 1013904223) >>> 0;
  return state.s % maxExclusive;
}

async function timeEachUs(count: number, op: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) await op(i);
  return ((performance.now() - started) / count) * 1000;
}

async function measureReads(store: LogStore, entries: number): Promise<Record<string, number>> {
  const rng = { s: 12345 };
  const readBatch100Us = await timeEachUs(1000, async () => {
    await store.readRecords(raftIndex(1 + randomInt(entries - 100, rng)), 100, 1 << 20);
  });
  const lookupHitUs = await timeEachUs(10_000, async () => {
    const n = 1 + randomInt(entries, rng);
    if ((await store.lookupId(entryId(n)))?.seq !== BigInt(n)) throw new Error(`lookup of entry ${n} failed`);
  });
  const lookupMissUs = await timeEachUs(10_000, async (i) => {
    if ((await store.lookupId(`missing-${i}`)) !== undefined) throw new Error("false duplicate");
  });
  let cursor = seq(0);
  const readEntriesPageUs = await timeEachUs(200, async () => {
    const page = await store.readEntries(cursor, { limit: 500, throughSeqMax: seq(entries), filter: { types: ["task"] } });
    cursor = page.throughSeq;
  });
  return { readBatch100Us, lookupHitUs, lookupMissUs, readEntriesPageMs: readEntriesPageUs / 1000 };
}

async function recoverPhase(dir: string, entries: number): Promise<Record<string, number>> {
  const before = memory();
  const started = performance.now();
  const store = await LogStore.open(dir);
  const recoveryMs = performance.now() - started;
  const after = memory();
  const index = store.stats().memory;
  const reads = await measureReads(store, entries);
  await store.close();
  return {
    recoveryMs,
    rssBeforeMB: before.rssMB!,
    rssAfterMB: after.rssMB!,
    heapUsedBeforeMB: before.heapUsedMB!,
    heapUsedAfterMB: after.heapUsedMB!,
    arrayBuffersAfterMB: after.arrayBuffersMB!,
    indexMB: (index.offsetBytes + index.seqBytes + index.idBytes) / 2 ** 20,
    segments: index.segments,
    ...reads,
  };
}

async function main(): Promise<void> {
  const entries = Number(arg("entries") ?? 1_000_000);
  if (arg("phase") === "recover") {
    process.send!(await recoverPhase(arg("dir")!, entries));
    return;
  }
  const dir = arg("dir") ?? (await mkdtemp(join(tmpdir(), "synod-bench-log-")));
  try {
    const write = await writePhase(dir, entries);
    const files = await readdir(join(dir, "log"));
    const sizes = await Promise.all(files.map((f) => stat(join(dir, "log", f))));
    const recover = await new Promise<Record<string, number>>((resolve, reject) => {
      const child = fork(fileURLToPath(import.meta.url), ["--phase", "recover", "--dir", dir, "--entries", String(entries)], {
        execArgv: [...process.execArgv, "--expose-gc"],
      });
      child.once("message", (m) => resolve(m as Record<string, number>));
      child.once("error", reject);
      child.once("exit", (code) => code !== 0 && reject(new Error(`recovery process exited with ${code}`)));
    });
    const result = {
      entries, batchEntries: BATCH_ENTRIES, concurrentAppends: CONCURRENT_APPENDS, contentBytes: CONTENT.length,
      fileMB: sizes.reduce((s, f) => s + f.size, 0) / 2 ** 20, files: files.length, ...write, ...recover,
      node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length,
    };
    for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(22)} ${typeof v === "number" ? Math.round(v * 100) / 100 : v}`);
    console.log(JSON.stringify(result));
  } finally {
    if (!process.argv.includes("--keep")) await rm(dir, { recursive: true, force: true });
  }
}

await main();
