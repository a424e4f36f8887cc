/**
 * The small file-system interface the log store uses, so tests can inject
 * failures (ENOSPC on write, EIO on fdatasync) deterministically.
 * {@link nodeStorageFs} is the real implementation over `node:fs/promises`.
 */
import { promises as fsp } from "node:fs";

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

/** Writes all of `buffer` at `position`, looping over short writes. */
export async function writeFully(file: StorageFile, buffer: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < buffer.length) {
    const n = await file.write(buffer, done, buffer.length - done, position + done);
    if (n <= 0) throw Object.assign(new Error("write made no progress"), { code: "EIO" });
    done += n;
  }
}
