/**
 * Helpers for the log store tests: temp directories, record builders and a
 * file system wrapper that fails writes or syncs on demand.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { raftIndex, seq, term, type LogRecord } from "../raft/types.js";
import { nodeStorageFs, type StorageFile, type StorageFs } from "./storage-fs.js";

/** Creates temp directories and removes them all in `cleanup`. */
export class TempDirs {
  private readonly dirs: string[] = [];
  async make(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "synod-log-"));
    this.dirs.push(dir);
    return dir;
  }
  async cleanup(): Promise<void> {
    await Promise.all(this.dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** Builds contiguous records: entries by default, with dense seqs. */
export class RecordBuilder {
  private index = 0n;
  private seqValue = 0n;
  constructor(private termValue = 1n) {}

  /** Continues after a given tail (e.g. after a truncation). */
  resume(lastIndex: bigint, lastSeq: bigint, termValue = this.termValue): this {
    this.index = lastIndex;
    this.seqValue = lastSeq;
    this.termValue = termValue;
    return this;
  }

  setTerm(termValue: bigint): this {
    this.termValue = termValue;
    return this;
  }

  entry(fields: { id?: string; type?: string; origin?: string; content?: string } = {}): LogRecord {
    this.index++;
    this.seqValue++;
    const s = this.seqValue;
    return {
      index: raftIndex(this.index),
      term: term(this.termValue),
      payload: {
        kind: "entry",
        entry: {
          id: fields.id ?? `id-${s}`,
          type: fields.type ?? "decision",
          content: fields.content ?? `content of entry ${s} ✓`,
          meta: { k: "v" },
          createdAtMs: 1_700_000_000_000 + Number(s),
          seq: seq(s),
          origin: fields.origin ?? "alice",
          term: term(this.termValue),
          committedAtMs: 0,
        },
      },
    };
  }

  noop(): LogRecord {
    this.index++;
    return { index: raftIndex(this.index), term: term(this.termValue), payload: { kind: "noop" } };
  }

  entries(n: number): LogRecord[] {
    return Array.from({ length: n }, () => this.entry());
  }
}

/** Failure switches of {@link FaultyFs}. */
export interface Faults {
  /** Fail the next N writes with ENOSPC (after writing `partialBytes` of the first). */
  enospcWrites: number;
  /** Writes that still succeed before the ENOSPC ones start. */
  passWrites: number;
  /** Bytes actually written by a failing write before it fails. */
  partialBytes: number;
  /** Fail the next N datasync/sync calls with EIO. */
  failSyncs: number;
  writes: number;
  datasyncs: number;
}

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** Wraps the real file system, failing operations as `faults` says. */
export function faultyFs(faults: Faults): StorageFs {
  const wrap = (file: StorageFile): StorageFile => ({
    read: (b, o, l, p) => file.read(b, o, l, p),
    async write(b, o, l, p) {
      faults.writes++;
      if (faults.enospcWrites > 0 && faults.passWrites > 0) faults.passWrites--;
      else if (faults.enospcWrites > 0) {
        faults.enospcWrites--;
        if (faults.partialBytes > 0) await file.write(b, o, Math.min(l, faults.partialBytes), p);
        throw systemError("ENOSPC");
      }
      return file.write(b, o, l, p);
    },
    async datasync() {
      faults.datasyncs++;
      if (faults.failSyncs > 0) {
        faults.failSyncs--;
        throw systemError("EIO");
      }
      return file.datasync();
    },
    async sync() {
      if (faults.failSyncs > 0) {
        faults.failSyncs--;
        throw systemError("EIO");
      }
      return file.sync();
    },
    truncate: (n) => file.truncate(n),
    sizeBytes: () => file.sizeBytes(),
    close: () => file.close(),
  });
  return { ...nodeStorageFs, open: async (path, mode) => wrap(await nodeStorageFs.open(path, mode)) };
}

/** Fresh fault switches (nothing fails). */
export function noFaults(): Faults {
  return { enospcWrites: 0, passWrites: 0, partialBytes: 0, failSyncs: 0, writes: 0, datasyncs: 0 };
}

/** A log that records warnings. */
export function warnings(): { warn: (message: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (message) => messages.push(message) };
}
