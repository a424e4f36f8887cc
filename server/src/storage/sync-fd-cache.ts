/**
 * A small LRU of read-only file handles for the blocking read path
 * (`LogStore.readRecordsSync`, `lookupIdSync`). A blocking read runs to
 * completion without yielding, so no handle is ever in use when another call
 * starts: unlike `FdCache` there is no busy count, and eviction closes at
 * once. The store evicts a path before the file is deleted, because a later
 * segment may be created under the same name (after a truncation) and a stale
 * handle would read the old, unlinked file.
 */
import assert from "node:assert/strict";
import { readFullySync, type SyncReadFile } from "./storage-fs.js";

/** Opens a file for blocking reads; see `StorageFs.openReadSync`. */
export type SyncOpener = (path: string) => SyncReadFile;

/** LRU of at most `filesMax` open files for blocking positional reads. */
export class SyncFdCache {
  private readonly files = new Map<string, SyncReadFile>();

  constructor(
    /** Undefined when the file system has no blocking reads: every read then throws. */
    private readonly open: SyncOpener | undefined,
    /** Open handles kept, at least 1. */
    private readonly filesMax: number,
  ) {
    assert(filesMax >= 1, "SyncFdCache needs room for one file");
  }

  /** Open handles (for tests and metrics). */
  get size(): number {
    return this.files.size;
  }

  /**
   * Reads `buffer.length` bytes of `path` at `position` (fewer only at EOF);
   * returns bytes read. A failed read closes the handle before rethrowing, so
   * a broken handle is not reused.
   */
  readFully(path: string, buffer: Uint8Array, position: number): number {
    const file = this.acquire(path);
    try {
      return readFullySync(file, buffer, 0, buffer.length, position);
    } catch (error) {
      this.evict(path);
      throw error;
    }
  }

  /** Closes the handle on `path`, if open (before the file is deleted). */
  evict(path: string): void {
    const file = this.files.get(path);
    if (file === undefined) return;
    this.files.delete(path);
    closeQuietly(file);
  }

  /** Closes every handle. */
  closeAll(): void {
    for (const path of [...this.files.keys()]) this.evict(path);
  }

  private acquire(path: string): SyncReadFile {
    let file = this.files.get(path);
    if (file !== undefined) {
      this.files.delete(path); // re-insert: most recently used goes last
    } else {
      assert(this.open !== undefined, "this StorageFs has no openReadSync, so the log store cannot serve blocking reads");
      file = this.open(path);
    }
    this.files.set(path, file);
    for (const oldest of this.files.keys()) {
      if (this.files.size <= this.filesMax) break;
      this.evict(oldest);
    }
    return file;
  }
}

function closeQuietly(file: SyncReadFile): void {
  try {
    file.closeSync();
  } catch {
    // Already closed or the descriptor is gone; nothing to release.
  }
}
