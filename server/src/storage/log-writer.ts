/**
 * Group commit (DESIGN §4): appends that arrive while a write + fdatasync is
 * in flight are queued and written together by the next single write and one
 * fdatasync. Records become visible to readers (published to the index) only
 * once durable. A failed write leaves the store `failed`: the next flush first
 * cuts the file back to the last durable byte. A failed fdatasync poisons it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { LogRecord } from "../raft/types.js";
import { StorageError } from "./errors.js";
import type { LogIndex } from "./log-index.js";
import { encodeRecordLine } from "./record-codec.js";
import { Segment, segmentName } from "./segment.js";
import { writeFully, type StorageFile, type StorageFs } from "./storage-fs.js";

/** `ok`: writing; `failed`: last write failed, the next append repairs first; `poisoned`: an fsync failed. */
export type WriterState = "ok" | "failed" | "poisoned";

/** Counters for metrics; all monotonic. */
export interface WriterStats {
  /** fdatasync/fsync calls on segments and the log directory. */
  fsyncs: number;
  /** Records made durable. */
  records: number;
  /** Bytes made durable. */
  bytes: number;
  /** `append` calls accepted. */
  appends: number;
  /** Group commits (flushes) that succeeded. */
  flushes: number;
}

/** Writer settings (see `LogStoreOptions`). */
export interface WriterConfig {
  readonly fs: StorageFs;
  readonly logDir: string;
  readonly segmentBytesMax: number;
  readonly pendingBytesMax: number;
  readonly nowMs: () => number;
  readonly onFsync: ((latencyMs: number) => void) | undefined;
}

interface PendingAppend {
  readonly records: readonly LogRecord[];
  readonly lines: Buffer[];
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Chunk {
  readonly segment: Segment;
  readonly isNew: boolean;
  readonly lines: Buffer[];
  readonly records: LogRecord[];
  bytes: number;
}

/** The tail of the log as appends have queued it (durable or not). */
interface Tail {
  index: bigint;
  term: bigint;
  seq: bigint;
}

/** Single writer of a log directory. */
export class LogWriter {
  state: WriterState = "ok";
  readonly stats: WriterStats = { fsyncs: 0, records: 0, bytes: 0, appends: 0, flushes: 0 };
  /** Entries queued but not yet durable, by id (so dedup sees them). */
  readonly pendingIds = new Map<string, { seq: bigint; index: bigint }>();
  private queue: PendingAppend[] = [];
  private queuedBytes = 0;
  private flushing: Promise<void> | undefined;
  private tail: Tail;
  private lastError: StorageError | undefined;

  constructor(
    private readonly config: WriterConfig,
    private readonly index: LogIndex,
    private active: StorageFile | undefined,
  ) {
    this.tail = this.durableTail();
  }

  /** Queues `records` (see `LogStore.append`); throws AssertionError on a broken sequence. */
  append(records: readonly LogRecord[]): Promise<void> {
    if (this.state === "poisoned") return Promise.reject(this.lastError);
    const tail = { ...this.tail };
    for (const record of records) checkAndAdvance(tail, record);
    const lines = records.map(encodeRecordLine);
    const bytes = lines.reduce((sum, line) => sum + line.length, 0);
    if (this.queuedBytes + bytes > this.config.pendingBytesMax && this.queue.length > 0) {
      return Promise.reject(new StorageError("overloaded", `append queue over pendingBytesMax (${this.config.pendingBytesMax} bytes)`));
    }
    this.tail = tail;
    for (const r of records) if (r.payload.kind === "entry") this.pendingIds.set(r.payload.entry.id, { seq: r.payload.entry.seq, index: r.index });
    this.stats.appends++;
    this.queuedBytes += bytes;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, lines, bytes, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once every append queued so far has settled. */
  async drain(): Promise<void> {
    while (this.flushing !== undefined) await this.flushing;
  }

  /** Closes the active handle (before truncation or at close). */
  async closeActive(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    await active?.close();
  }

  /** Re-reads the tail from the index and reopens the last segment (after truncation). */
  async resetAfterTruncation(): Promise<void> {
    assert(this.queue.length === 0 && this.flushing === undefined, "truncation with appends in flight");
    await this.closeActive();
    this.tail = this.durableTail();
    const last = this.index.lastSegment;
    if (last !== undefined) this.active = await this.config.fs.open(join(this.config.logDir, last.name), "update");
  }

  /** Marks the store poisoned (e.g. after a failed fsync outside the writer). */
  poison(error: StorageError): void {
    this.state = "poisoned";
    this.lastError = error;
  }

  private durableTail(): Tail {
    return { index: this.index.lastIndex, term: this.index.lastTerm, seq: this.index.seqs.lastSeq };
  }

  private kick(): void {
    if (this.flushing !== undefined) return;
    this.flushing = (async () => {
      while (this.queue.length > 0) await this.flush(this.queue.splice(0));
    })().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async flush(batch: PendingAppend[]): Promise<void> {
    this.queuedBytes -= batch.reduce((sum, p) => sum + p.bytes, 0);
    const chunks: Chunk[] = [];
    try {
      if (this.state === "poisoned") throw this.lastError;
      if (this.state === "failed") await this.repair();
      chunks.push(...this.plan(batch));
      await this.writeChunks(chunks);
    } catch (error) {
      await this.closeNewFiles(chunks);
      this.fail(batch, error);
      return;
    }
    await this.publish(chunks);
    for (const p of batch) p.resolve();
  }

  private plan(batch: PendingAppend[]): Chunk[] {
    const chunks: Chunk[] = [];
    const last = this.index.lastSegment;
    let current: Chunk | undefined = last && { segment: last, isNew: false, lines: [], records: [], bytes: 0 };
    for (const pending of batch) {
      pending.records.forEach((record, i) => {
        const line = pending.lines[i]!;
        const used = current === undefined ? 0 : current.segment.sizeBytes + current.bytes;
        if (current === undefined || (used > 0 && used + line.length > this.config.segmentBytesMax)) {
          if (current !== undefined && current.lines.length > 0) chunks.push(current);
          current = { segment: new Segment(segmentName(record.index), record.index), isNew: true, lines: [], records: [], bytes: 0 };
        }
        current.lines.push(line);
        current.records.push(record);
        current.bytes += line.length;
      });
    }
    if (current !== undefined && current.lines.length > 0) chunks.push(current);
    return chunks;
  }

  private async writeChunks(chunks: Chunk[]): Promise<void> {
    for (const chunk of chunks) {
      const path = join(this.config.logDir, chunk.segment.name);
      const file = chunk.isNew ? await this.createFile(path, chunk) : this.active;
      assert(file !== undefined, "no active segment file");
      try {
        await writeFully(file, Buffer.concat(chunk.lines, chunk.bytes), chunk.segment.sizeBytes);
      } catch (error) {
        throw StorageError.fromWrite(`write to ${path}`, error);
      }
      await this.timedSync(`fdatasync of ${path}`, () => file.datasync());
    }
    if (chunks.some((c) => c.isNew)) await this.timedSync(`fsync of ${this.config.logDir}`, () => this.config.fs.syncDir(this.config.logDir));
  }

  private readonly newFiles = new Map<Chunk, StorageFile>();

  private async createFile(path: string, chunk: Chunk): Promise<StorageFile> {
    try {
      const file = await this.config.fs.open(path, "create");
      this.newFiles.set(chunk, file);
      return file;
    } catch (error) {
      throw StorageError.fromWrite(`create ${path}`, error);
    }
  }

  private async timedSync(what: string, sync: () => Promise<void>): Promise<void> {
    const started = this.config.nowMs();
    try {
      await sync();
    } catch (error) {
      throw StorageError.fromSync(what, error);
    }
    this.stats.fsyncs++;
    this.config.onFsync?.(this.config.nowMs() - started);
  }

  private async publish(chunks: Chunk[]): Promise<void> {
    for (const chunk of chunks) {
      if (chunk.isNew) {
        this.index.addSegment(chunk.segment);
        await this.closeActive();
        this.active = this.newFiles.get(chunk);
        this.newFiles.delete(chunk);
      }
      chunk.records.forEach((record, i) => this.index.addRecord(record, chunk.lines[i]!.length));
      for (const r of chunk.records) {
        if (r.payload.kind === "entry" && this.pendingIds.get(r.payload.entry.id)?.index === r.index) this.pendingIds.delete(r.payload.entry.id);
      }
      this.stats.records += chunk.records.length;
      this.stats.bytes += chunk.bytes;
    }
    this.stats.flushes++;
  }

  private fail(batch: PendingAppend[], error: unknown): void {
    const storageError = error instanceof StorageError ? error : StorageError.fromWrite("append", error);
    if (storageError.poisoned) this.poison(storageError);
    else if (this.state === "ok") this.state = "failed";
    const rejected = [...batch, ...this.queue.splice(0)];
    this.queuedBytes = 0;
    this.pendingIds.clear();
    this.tail = this.durableTail();
    for (const p of rejected) p.reject(storageError);
  }

  private async closeNewFiles(chunks: Chunk[]): Promise<void> {
    for (const chunk of chunks) {
      const file = this.newFiles.get(chunk);
      this.newFiles.delete(chunk);
      await file?.close().catch(() => undefined);
    }
  }

  /** Returns the files to the last durable state: cut the active segment, delete segments created since. */
  private async repair(): Promise<void> {
    const { fs, logDir } = this.config;
    const last = this.index.lastSegment;
    const names = await fs.readdir(logDir);
    const stray = names.filter((n) => n.endsWith(".seg") && (last === undefined || n > last.name));
    for (const name of stray.sort().reverse()) await fs.unlink(join(logDir, name)).catch((e) => { throw StorageError.fromWrite(`unlink ${name}`, e); });
    if (stray.length > 0) await this.timedSync(`fsync of ${logDir}`, () => fs.syncDir(logDir));
    if (last !== undefined && this.active !== undefined) {
      const active = this.active;
      await active.truncate(last.sizeBytes).catch((e) => { throw StorageError.fromWrite(`truncate ${last.name}`, e); });
      await this.timedSync(`fdatasync of ${last.name}`, () => active.datasync());
      const size = await active.sizeBytes();
      if (size !== last.sizeBytes) throw new StorageError("io", `${last.name} is ${size} bytes after repair, expected ${last.sizeBytes}`);
    }
    this.state = "ok";
  }
}

/** Asserts `record` may follow `tail` (contiguous index, non-decreasing term, dense seq) and advances it. */
function checkAndAdvance(tail: Tail, record: LogRecord): void {
  assert(record.index === tail.index + 1n, `append: index ${record.index} is not lastIndex + 1 (${tail.index + 1n})`);
  assert(record.term >= tail.term, `append: term ${record.term} is below the last term ${tail.term}`);
  if (record.payload.kind === "entry") {
    const seq = record.payload.entry.seq;
    assert(seq === tail.seq + 1n, `append: seq ${seq} is not lastSeq + 1 (${tail.seq + 1n})`);
    tail.seq = seq;
  }
  tail.index = record.index;
  tail.term = record.term;
}
