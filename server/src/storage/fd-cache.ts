/**
 * A small LRU of read-only file handles for positional reads, so readers do
 * not open a segment per request. A handle in use is never closed under a
 * reader: eviction of a busy handle waits until its last user is done.
 */
import type { StorageFile, StorageFs } from "./storage-fs.js";

interface CachedFile {
  readonly file: Promise<StorageFile>;
  users: number;
  doomed: boolean;
}

/** LRU of at most `filesMax` idle open files (busy ones may exceed it briefly). */
export class FdCache {
  private readonly files = new Map<string, CachedFile>();

  constructor(
    private readonly fs: StorageFs,
    /** Open read handles kept, at least 1. */
    private readonly filesMax: number,
  ) {}

  /** Runs `use` with an open read handle on `path`. */
  async withFile<T>(path: string, use: (file: StorageFile) => Promise<T>): Promise<T> {
    const entry = this.acquire(path);
    try {
      return await use(await entry.file);
    } finally {
      entry.users--;
      if (entry.doomed && entry.users === 0) await closeQuietly(entry.file);
    }
  }

  /** Closes the handle on `path` (now, or when its last user is done), e.g. before deleting the file. */
  async evict(path: string): Promise<void> {
    const entry = this.files.get(path);
    if (entry === undefined) return;
    this.files.delete(path);
    entry.doomed = true;
    if (entry.users === 0) await closeQuietly(entry.file);
  }

  /** Closes every handle. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.files.keys()].map((path) => this.evict(path)));
  }

  private acquire(path: string): CachedFile {
    let entry = this.files.get(path);
    if (entry === undefined) {
      entry = { file: this.fs.open(path, "read"), users: 0, doomed: false };
      entry.file.catch(() => this.files.get(path) === entry && this.files.delete(path));
    } else {
      this.files.delete(path); // re-insert: most recently used goes last
    }
    this.files.set(path, entry);
    entry.users++;
    this.trim();
    return entry;
  }

  private trim(): void {
    for (const [path, entry] of this.files) {
      if (this.files.size <= this.filesMax) return;
      if (entry.users === 0) void this.evict(path);
    }
  }
}

async function closeQuietly(file: Promise<StorageFile>): Promise<void> {
  try {
    await (await file).close();
  } catch {
    // Opening failed (reported to the reader) or the handle is already gone.
  }
}
