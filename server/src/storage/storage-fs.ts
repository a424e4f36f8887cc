/**
 * The small file-system interface the log store uses, so tests can inject
 * failures (ENOSPC on write, EIO on fdatasync) deterministically.
 * {@link nodeStorageFs} is the real implementation over `node:fs/promises`
 * (and blocking `node:fs` calls for the synchronous read path).
 */
import { closeSync, openSync, promises as fsp, readSync } from "node:fs";

/** An open file. Positions and lengths are in bytes. */
export interface StorageFile {
  /** Reads up to `length` bytes at file `position` into `buffer[offset..]`; returns bytes read (0 at EOF). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Writes `buffer[offset, offset+length)` at file `position`; returns bytes written (may be short). */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** fdatasync(2). */
  datasync(): Promise<void>;
  /** fsync(2). */
  sync(): Promise<void>;
  /** ftruncate(2) to `lengthBytes`. */
  truncate(lengthBytes: number): Promise<void>;
  /** Current size in bytes (fstat). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A file opened for blocking positional reads. The Raft core reads the log
 * synchronously (it is pure), so the store needs reads that do not yield.
 */
export interface SyncReadFile {
  /** Reads up to `length` bytes at file `position` into `buffer[offset..]`; returns bytes read (0 at EOF). Throws system errors. */
  readSync(buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** Closes the file. Throws system errors. */
  closeSync(): void;
}

/**
 * How a file is opened: `read` (must exist), `update` (read/write, must exist),
 * `create` (read/write, created or emptied).
 */
export type OpenMode = "read" | "update" | "create";

/** Directory and file operations. Errors are Node.js system errors (with `code`). */
export interface StorageFs {
  open(path: string, mode: OpenMode): Promise<StorageFile>;
  /** Names in a directory (not paths). */
  readdir(path: string): Promise<string[]>;
  /** mkdir -p. */
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync on a directory, making creates, renames and unlinks in it durable. */
  syncDir(path: string): Promise<void>;
  /**
   * Opens an existing file for blocking reads (`LogStore.readRecordsSync` and
   * friends). Optional so fakes need not provide it; without it those reads
   * throw. Wrappers that spread {@link nodeStorageFs} inherit the real one.
   */
  openReadSync?(path: string): SyncReadFile;
}

const FLAGS: Record<OpenMode, string> = { read: "r", update: "r+", create: "w+" };

class NodeFile implements StorageFile {
  constructor(private readonly handle: fsp.FileHandle) {}
  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.read(buffer, offset, length, position)).bytesRead;
  }
  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.handle.write(buffer, offset, length, position)).bytesWritten;
  }
  datasync(): Promise<void> {
    return this.handle.datasync();
  }
  sync(): Promise<void> {
    return this.handle.sync();
  }
  truncate(lengthBytes: number): Promise<void> {
    return this.handle.truncate(lengthBytes);
  }
  async sizeBytes(): Promise<number> {
    return (await this.handle.stat()).size;
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The real file system. */
export const nodeStorageFs: StorageFs = {
  async open(path, mode) {
    return new NodeFile(await fsp.open(path, FLAGS[mode]));
  },
  readdir: (path) => fsp.readdir(path),
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true });
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  async syncDir(path) {
    const handle = await fsp.open(path, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  openReadSync(path) {
    const fd = openSync(path, "r");
    return {
      readSync: (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
      closeSync: () => closeSync(fd),
    };
  },
};

/** Reads exactly `length` bytes at `position` unless EOF comes first; returns bytes read. */
export async function readFully(
  file: StorageFile,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await file.read(buffer, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Blocking {@link readFully}: reads exactly `length` bytes at `position` unless EOF comes first; returns bytes read. */
export function readFullySync(file: SyncReadFile, buffer: Uint8Array, offset: number, length: number, position: number): number {
  let done = 0;
  while (done < length) {
    const n = file.readSync(buffer, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Writes all of `buffer` at `position`, looping over short writes. */
export async function writeFully(file: StorageFile, buffer: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const n = await file.write(buffer, done, buffer.length - done, position + done);
    if (n <= 0) throw Object.assign(new Error("write made no progress"), { code: "EIO" });
    done += n;
  }
}
