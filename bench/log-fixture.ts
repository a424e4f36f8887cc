/** Writes synthetic logs straight into a data directory (for memory tests and benchmarks). */
import { LogStore } from "../server/src/storage/index.js";
import { bootstrapState } from "../server/src/raft/bootstrap.js";
import { raftIndex, seq, term, type LogRecord } from "../server/src/raft/types.js";

/** Records per append while writing a fixture. */
const fixtureBatch = 2000;

/**
 * Writes the log of a single node `nodeId` (its bootstrap membership records,
 * then `count` entries of `contentBytes` each, ids `mem-1` … `mem-<count>`)
 * into `<dir>/log`, with a hard state that says they are committed.
 */
export async function writeLogFixture(dir: string, count: number, contentBytes: number, nodeId = "n1"): Promise<void> {
  const store = await LogStore.open(dir, { log: { warn: () => {} } });
  const boot = bootstrapState([nodeId]);
  await store.append(boot.records);
  const first = boot.records.length + 1;
  const content = "m".repeat(contentBytes);
  for (let start = 1; start <= count; start += fixtureBatch) {
    const records: LogRecord[] = [];
    for (let i = start; i < start + fixtureBatch && i <= count; i++) {
      const entry = { id: `mem-${i}`, type: "learning", content, meta: {}, createdAtMs: 0, seq: seq(i), origin: "bench", term: term(1), committedAtMs: 0 };
      records.push({ index: raftIndex(first + i - 1), term: term(1), payload: { kind: "entry", entry } });
    }
    await store.append(records);
  }
  await store.saveHardState({ term: term(1), vote: undefined, commit: store.lastIndex });
  await store.close();
}

/** Resident set size of a process, in MiB (Linux). */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+) kB/)?.[1]) / 1024;
}
