/**
 * Write concern LEADER (DESIGN §4): an entry acknowledged after the leader's
 * own fsync can be truncated when that leader comes back as a follower. Before
 * truncating, the node saves the entries to `<data-dir>/rejected/` (fsynced),
 * and a resubmitter sends them to the current leader as ordinary idempotent
 * appends, keeping their origin, deleting each file once its entries are
 * committed. Entries already in the log (a client retried them) are found by
 * id and not appended twice.
 */
import { mkdir, open, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { PeriodicTask } from "./periodic-task.js";
import { seq, term, type LogRecord, type StoredEntry } from "../raft/types.js";

async function syncDir(path: string): Promise<void> {
  const d = await open(path, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** The folder of rejected entries. */
export const rejectedDir = (dataDir: string): string => join(dataDir, "rejected");

/** Saves the data entries among truncated records; resolves once durable. */
export async function saveRejected(dataDir: string, records: readonly LogRecord[]): Promise<number> {
  const entries = records.flatMap((r) => (r.payload.kind === "entry" ? [r.payload.entry] : []));
  if (entries.length === 0) return 0;
  const dir = rejectedDir(dataDir);
  const created = await mkdir(dir, { recursive: true });
  const first = records[0]?.index ?? 0n;
  const fh = await open(join(dir, `${Date.now()}-${first}.jsonl`), "wx", 0o600);
  try {
    await fh.writeFile(entries.map((e) => JSON.stringify({ ...e, seq: String(e.seq), term: String(e.term) }) + "\n").join(""));
    await fh.sync();
  } finally {
    await fh.close();
  }
  // The file must survive a crash that the truncation after it survives.
  await syncDir(dir);
  if (created !== undefined) await syncDir(dataDir);
  return entries.length;
}

function parse(line: string): StoredEntry {
  const o = JSON.parse(line) as StoredEntry & { seq: string; term: string };
  return { ...o, seq: seq(BigInt(o.seq)), term: term(BigInt(o.term)) };
}

/** Entries per re-submit request: the Append limit. */
export const resubmitChunkEntriesMax = 1000;
/** Approximate bytes per re-submit request (content and meta), well under the 16 MiB request limit. */
export const resubmitChunkBytesMax = 4 * 1024 * 1024;

/**
 * Splits entries, in order, into chunks of at most {@link resubmitChunkEntriesMax}
 * entries and about {@link resubmitChunkBytesMax} bytes (a single larger entry gets a
 * chunk of its own: entries are at most 1 MiB, so it still fits a request).
 */
export function resubmitChunks(entries: readonly StoredEntry[]): StoredEntry[][] {
  const chunks: StoredEntry[][] = [];
  let current: StoredEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = entrySize(e);
    if (current.length > 0 && (current.length >= resubmitChunkEntriesMax || bytes + size > resubmitChunkBytesMax)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(e);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function entrySize(e: StoredEntry): number {
  let n = Buffer.byteLength(e.content) + e.id.length + e.type.length + e.origin.length + 64;
  for (const [k, v] of Object.entries(e.meta)) n += k.length + Buffer.byteLength(v);
  return n;
}

/** Sends saved entries to the leader until they are committed. */
export class Resubmitter extends PeriodicTask {
  constructor(
    private readonly dataDir: string,
    /** Submits entries through the current leader; resolves once committed. */
    private readonly submit: (entries: StoredEntry[]) => Promise<void>,
    logger: Logger,
  ) {
    super(logger, "re-submitting rejected entries");
  }

  /** One pass over the folder; a file is removed only once its entries are committed. */
  protected async round(): Promise<void> {
    const dir = rejectedDir(this.dataDir);
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(".jsonl")).sort();
    for (const f of files) {
      const entries = (await readFile(join(dir, f), "utf8")).split("\n").filter(Boolean).map(parse);
      // Chunks stay within a request's limits; a chunk sent twice is harmless (ids dedup).
      for (const chunk of resubmitChunks(entries)) await this.submit(chunk);
      await rm(join(dir, f));
      this.logger.info("re-submitted entries truncated from this node's log", { file: f, entries: entries.length });
    }
  }
}
