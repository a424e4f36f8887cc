/**
 * On-disk encoding of one log record: one line of a segment file.
 *
 * Format (version 1), one record per line, UTF-8:
 *
 *     <crc> <json>\n
 *
 * - `<crc>`: 8 lowercase hex digits, the CRC-32C of the bytes of `<json>`
 *   (exactly the bytes between the space and the newline).
 * - `<json>`: the `LogRecord` as a JSON object with its own field names
 *   (`index`, `term`, `payload`); every bigint (`index`, `term`, and an entry's
 *   `seq` and `term`) is written as a decimal string.
 *
 * Example: `9ee4760e {"index":"7","term":"2","payload":{"kind":"noop"}}`
 *
 * JSON never contains a raw newline (JSON.stringify escapes control
 * characters), so `\n` always ends a record.
 */
import type { LogRecord, Payload } from "../raft/types.js";
import { crc32c } from "./crc32c.js";

/** Bytes before the JSON: 8 hex digits and a space. */
const HEADER_BYTES = 9;
const NEWLINE = 0x0a;
const HEX8 = /^[0-9a-f]{8}$/;

function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Encodes a record as one complete line (checksum, JSON, newline). */
export function encodeRecordLine(record: LogRecord): Buffer {
  const json = Buffer.from(JSON.stringify(record, bigintToString), "utf8");
  const line = Buffer.allocUnsafe(json.length + HEADER_BYTES + 1);
  line.write(crc32c(json).toString(16).padStart(8, "0"), 0, "latin1");
  line[8] = 0x20;
  json.copy(line, HEADER_BYTES);
  line[line.length - 1] = NEWLINE;
  return line;
}

/**
 * Decodes `bytes[start, end)`, one line without its newline.
 * Returns the record, or a short reason string when the line is bad
 * (checksum mismatch, unparseable JSON, wrong shape).
 */
export function decodeRecordLine(bytes: Buffer, start: number, end: number): LogRecord | string {
  if (end - start < HEADER_BYTES + 2) return "line too short";
  const hex = bytes.toString("latin1", start, start + 8);
  if (!HEX8.test(hex) || bytes[start + 8] !== 0x20) return "bad line header";
  if (crc32c(bytes, start + HEADER_BYTES, end) !== Number.parseInt(hex, 16)) return "checksum mismatch";
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8", start + HEADER_BYTES, end));
  } catch {
    return "unparseable JSON";
  }
  return reviveRecord(parsed) ?? "not a log record";
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function toBigint(value: unknown): bigint | undefined {
  return typeof value === "string" && DECIMAL.test(value) ? BigInt(value) : undefined;
}

function reviveRecord(value: unknown): LogRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as { index?: unknown; term?: unknown; payload?: unknown };
  const index = toBigint(raw.index);
  const term = toBigint(raw.term);
  const payload = revivePayload(raw.payload);
  if (index === undefined || term === undefined || payload === undefined) return undefined;
  return { index, term, payload } as LogRecord;
}

function revivePayload(value: unknown): Payload | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as { kind?: unknown; entry?: unknown };
  if (raw.kind === "noop" || raw.kind === "config" || raw.kind === "token") return value as Payload;
  if (raw.kind !== "entry" || typeof raw.entry !== "object" || raw.entry === null) return undefined;
  const entry = raw.entry as { id?: unknown; seq?: unknown; term?: unknown };
  const seq = toBigint(entry.seq);
  const term = toBigint(entry.term);
  if (seq === undefined || term === undefined || typeof entry.id !== "string") return undefined;
  return { kind: "entry", entry: { ...(raw.entry as object), seq, term } } as Payload;
}

/**
 * Splits `bytes` (whole lines only) into records. `onBad` is called with the
 * byte offset (relative to `bytes`) and reason of the first bad line, and the
 * split stops there.
 */
export function decodeRecordLines(
  bytes: Buffer,
  onBad: (offsetBytes: number, reason: string) => never,
): LogRecord[] {
  const records: LogRecord[] = [];
  let cursor = 0;
  while (cursor < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, cursor);
    if (newline === -1) onBad(cursor, "incomplete line");
    const record = decodeRecordLine(bytes, cursor, newline);
    if (typeof record === "string") onBad(cursor, record);
    records.push(record as LogRecord);
    cursor = newline + 1;
  }
  return records;
}
