/**
 * Sequential verification of a segment file: reads it in chunks with
 * positional reads (never the whole file at once), checks every line's
 * checksum and parses it.
 */
import type { LogRecord } from "../raft/types.js";
import { decodeRecordLine } from "./record-codec.js";
import { readFully, type StorageFile } from "./storage-fs.js";

/** Bytes read per chunk while scanning. */
export const SCAN_CHUNK_BYTES = 1 << 20;

/** The first bad line of a scanned segment. */
export interface ScanProblem {
  /** Byte offset where the bad line starts. */
  readonly offsetBytes: number;
  readonly reason: string;
  /** True when the bad line is the final line of the file (a torn write candidate). */
  readonly lastLine: boolean;
}

/** Outcome of {@link scanSegment}. */
export interface ScanResult {
  /** File size in bytes when the scan started. */
  readonly sizeBytes: number;
  /** End of the last good line: the size the file should have. */
  readonly goodBytes: number;
  /** The first bad line, if any; the scan stops there. */
  readonly problem?: ScanProblem;
}

/** Called for each good line; may throw to stop the scan. */
export type OnScannedRecord = (record: LogRecord, offsetBytes: number, lineBytes: number) => void;

/** Scans `file` from byte 0, calling `onRecord` for each good line, and stops at the first bad one. */
export async function scanSegment(file: StorageFile, onRecord: OnScannedRecord): Promise<ScanResult> {
  const sizeBytes = await file.sizeBytes();
  let buf = Buffer.alloc(0);
  let bufStart = 0; // file offset of buf[0]
  let readTo = 0; // file offset read so far
  let cursor = 0;
  for (;;) {
    const newline = buf.indexOf(0x0a, cursor);
    if (newline === -1) {
      if (readTo >= sizeBytes) break;
      const rest = buf.subarray(cursor);
      const want = Math.min(SCAN_CHUNK_BYTES, sizeBytes - readTo);
      const next = Buffer.allocUnsafe(rest.length + want);
      rest.copy(next, 0);
      const n = await readFully(file, next, rest.length, want, readTo);
      buf = next.subarray(0, rest.length + n);
      bufStart += cursor;
      cursor = 0;
      readTo += n;
      if (n < want) break; // the file shrank under us; treat the rest as missing
      continue;
    }
    const offsetBytes = bufStart + cursor;
    const record = decodeRecordLine(buf, cursor, newline);
    if (typeof record === "string") {
      const lastLine = bufStart + newline + 1 === sizeBytes;
      return { sizeBytes, goodBytes: offsetBytes, problem: { offsetBytes, reason: record, lastLine } };
    }
    onRecord(record, offsetBytes, newline + 1 - cursor);
    cursor = newline + 1;
  }
  const goodBytes = bufStart + cursor;
  if (goodBytes === sizeBytes) return { sizeBytes, goodBytes };
  const problem = { offsetBytes: goodBytes, reason: "incomplete last line (no newline)", lastLine: true };
  return { sizeBytes, goodBytes, problem };
}
