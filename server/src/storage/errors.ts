/**
 * Typed operating errors of the log store (CONVENTIONS, "Two kinds of error").
 * Broken invariants (a non-contiguous append, a truncation below the commit
 * point) are not here: they throw `AssertionError` from `node:assert`.
 */

/** The `synod` command that moves a bad segment (and every later one) aside. */
export function quarantineCommand(dataDir: string, segmentFile: string): string {
  return `synod hub quarantine --data-dir ${dataDir} --file ${segmentFile}`;
}

/**
 * A log file failed verification on open or on read: bad checksum, unparseable
 * line, or an index discontinuity that is not a torn last record (DESIGN §4).
 * The node must not start; the message names the file, the byte offset and,
 * for segments, the command that quarantines the file.
 */
export class CorruptLogError extends Error {
  override readonly name = "CorruptLogError";
  /** Absolute path of the bad file. */
  readonly file: string;
  /** Byte offset of the first bad line in `file`. */
  readonly offsetBytes: number;
  /** What is wrong, in a few words. */
  readonly reason: string;
  /** The quarantine command line, when the file is a log segment. */
  readonly command: string | undefined;

  constructor(file: string, offsetBytes: number, reason: string, command?: string) {
    const fix = command === undefined ? "" : `. To move this segment and every later one aside and start with the log before it, run: ${command}`;
    super(`corrupt log: ${file} at byte offset ${offsetBytes}: ${reason}${fix}`);
    this.file = file;
    this.offsetBytes = offsetBytes;
    this.reason = reason;
    this.command = command;
  }
}

/**
 * Why a write failed:
 * - `full`: the disk is full (ENOSPC on write); appends resume once space is back.
 * - `io`: another write error, or a failed fsync (then `poisoned` is true).
 * - `overloaded`: the append queue is over `pendingBytesMax`; retry later.
 */
export type StorageErrorKind = "full" | "io" | "overloaded";

/**
 * A write to the log or the hard state did not become durable. The records of
 * a rejected append are not in the log and are never visible to readers.
 * When `poisoned` is true the store refuses every later append: a failed fsync
 * is fatal and never retried, the node must restart and recover from disk.
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  /** See {@link StorageErrorKind}. */
  readonly kind: StorageErrorKind;
  /** True once an fsync failed: no more writes until a restart. */
  readonly poisoned: boolean;

  constructor(kind: StorageErrorKind, message: string, options?: { cause?: unknown; poisoned?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.poisoned = options?.poisoned ?? false;
  }

  /** Wraps a failed write (not an fsync): ENOSPC becomes `full`, anything else `io`. */
  static fromWrite(what: string, cause: unknown): StorageError {
    const code = errorCode(cause);
    const kind: StorageErrorKind = code === "ENOSPC" ? "full" : "io";
    return new StorageError(kind, `${what} failed (${code ?? String(cause)})`, { cause });
  }

  /** Wraps a failed fsync/fdatasync: always fatal. */
  static fromSync(what: string, cause: unknown): StorageError {
    const code = errorCode(cause) ?? String(cause);
    return new StorageError("io", `${what} failed (${code}); the log store is poisoned and the node must restart`, {
      cause,
      poisoned: true,
    });
  }
}

/** The `code` of a Node.js system error (`ENOSPC`, `ENOENT`, ...), if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}
