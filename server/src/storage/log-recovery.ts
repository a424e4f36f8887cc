/**
 * Recovery on open (DESIGN §4): scan every segment in index order, verify
 * every checksum and the index/term/seq continuity, and rebuild the in-memory
 * index. A torn last record of the last segment is cut off with a warning;
 * anything else wrong refuses to open with a {@link CorruptLogError}.
 */
import type { LogRecord } from "../raft/types.js";
import { join } from "node:path";
import { CorruptLogError, quarantineCommand } from "./errors.js";
import type { IdHash } from "./id-index.js";
import { LogIndex } from "./log-index.js";
import { parseSegmentName, Segment, sortSegmentNames } from "./segment.js";
import { scanSegment } from "./segment-scan.js";
import type { StorageFile, StorageFs } from "./storage-fs.js";

/** Receives warnings about repaired damage (a torn last record). */
export interface StorageLog {
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** What recovery found. */
export interface RecoveredLog {
  readonly index: LogIndex;
  /** Open read/write handle on the last segment, if there is one. */
  readonly active: StorageFile | undefined;
  /** Bytes dropped from a torn tail (0 when clean). */
  readonly tornBytes: number;
}

/** Recovery inputs. `logDir` is `<dataDir>/log`. */
export interface RecoveryContext {
  readonly fs: StorageFs;
  readonly dataDir: string;
  readonly logDir: string;
  readonly hashId: IdHash;
  readonly log: StorageLog;
  /** Sees every recovered record, in log order (the node rebuilds its token table and membership from these). */
  readonly onRecord?: ((record: LogRecord) => void) | undefined;
}

/** Scans `<dataDir>/log` and rebuilds the index. Throws {@link CorruptLogError}. */
export async function recoverLog(ctx: RecoveryContext): Promise<RecoveredLog> {
  const names = sortSegmentNames(await ctx.fs.readdir(ctx.logDir));
  const index = new LogIndex(ctx.hashId);
  let active: StorageFile | undefined;
  let tornBytes = 0;
  for (const [i, name] of names.entries()) {
    const isLast = i === names.length - 1;
    const file = await ctx.fs.open(join(ctx.logDir, name), isLast ? "update" : "read");
    try {
      tornBytes = await recoverSegment(ctx, index, name, file, isLast);
    } catch (error) {
      await file.close();
      throw error;
    }
    if (isLast) active = file;
    else await file.close();
  }
  return { index, active, tornBytes };
}

async function recoverSegment(
  ctx: RecoveryContext,
  index: LogIndex,
  name: string,
  file: StorageFile,
  isLast: boolean,
): Promise<number> {
  const path = join(ctx.logDir, name);
  const corrupt = (offsetBytes: number, reason: string): CorruptLogError =>
    new CorruptLogError(path, offsetBytes, reason, quarantineCommand(ctx.dataDir, name));
  const firstIndex = parseSegmentName(name)!;
  if (index.segments.length > 0 && firstIndex !== index.lastIndex + 1n) {
    throw corrupt(0, `index discontinuity: segment starts at ${firstIndex}, expected ${index.lastIndex + 1n}`);
  }
  const segment = new Segment(name, firstIndex);
  index.addSegment(segment);
  const result = await scanSegment(file, (record, offsetBytes, lineBytes) => {
    const problem = index.checkNext(record);
    if (problem !== undefined) throw corrupt(offsetBytes, problem);
    index.addRecord(record, lineBytes);
    ctx.onRecord?.(record);
  });
  if (!isLast && segment.count === 0 && result.problem === undefined) throw corrupt(0, "empty segment before the last");
  if (result.problem === undefined) return 0;
  const { offsetBytes, reason, lastLine } = result.problem;
  if (!isLast || !lastLine) throw corrupt(offsetBytes, reason);
  const dropped = result.sizeBytes - offsetBytes;
  ctx.log.warn(`log: truncating torn last record of ${path} at byte offset ${offsetBytes} (${dropped} bytes dropped: ${reason})`, {
    file: path,
    offsetBytes,
    droppedBytes: dropped,
    reason,
  });
  await file.truncate(offsetBytes);
  await file.datasync();
  return dropped;
}
