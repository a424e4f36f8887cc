/**
 * Validation of everything in an Append request, collecting every violation
 * with the path of its field so the client can fix them all at once.
 */
import type { EntryInput } from "@synod/proto/entry";
import type { FieldViolation } from "../hub-error.js";
import { invalidArgument } from "../hub-error.js";
import { limits } from "./limits.js";

/** A validated entry, ready for the leader to stamp seq, origin and term. */
export interface EntryDraft {
  readonly id: string;
  readonly type: string;
  readonly content: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
}

const encoder = new TextEncoder();
const byteLength = (s: string): number => encoder.encode(s).length;

/** C0 controls and DEL, except tab, newline and carriage return. */
// eslint-disable-next-line no-control-regex
const contentControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** Every C0 control and DEL. */
// eslint-disable-next-line no-control-regex
const anyControl = /[\u0000-\u001f\u007f]/;
const metaKeyPattern = /^[A-Za-z0-9_.:-]+$/;

/** Checks a text field: well-formed UTF-16 (so valid UTF-8 on the wire), size, control characters. */
export function checkText(
  out: FieldViolation[],
  field: string,
  value: string,
  opts: { min: number; maxBytes: number; controls: RegExp },
): void {
  if (!value.isWellFormed()) {
    out.push({ field, description: "must be valid UTF-8 (found a lone surrogate)" });
    return;
  }
  const n = byteLength(value);
  if (n < opts.min) out.push({ field, description: `must not be empty` });
  else if (n > opts.maxBytes) out.push({ field, description: `is ${n} bytes; the maximum is ${opts.maxBytes}` });
  if (opts.controls.test(value)) out.push({ field, description: "must not contain control characters" });
}

function checkMeta(out: FieldViolation[], path: string, meta: Record<string, string>): void {
  const keys = Object.keys(meta);
  if (keys.length > limits.metaKeysMax) {
    out.push({ field: `${path}.meta`, description: `has ${keys.length} keys; the maximum is ${limits.metaKeysMax}` });
    return;
  }
  for (const key of keys) {
    const field = `${path}.meta[${JSON.stringify(key)}]`;
    if (!metaKeyPattern.test(key) || byteLength(key) > limits.metaKeyBytesMax) {
      out.push({ field, description: `key must be 1..${limits.metaKeyBytesMax} of [A-Za-z0-9_.:-]` });
    }
    checkText(out, field, meta[key] ?? "", { min: 0, maxBytes: limits.metaValueBytesMax, controls: anyControl });
  }
}

function checkEntry(out: FieldViolation[], path: string, e: EntryInput, types: ReadonlySet<string>): void {
  checkText(out, `${path}.id`, e.id, { min: 1, maxBytes: limits.idBytesMax, controls: anyControl });
  if (!types.has(e.type)) {
    out.push({ field: `${path}.type`, description: `must be one of: ${[...types].join(", ")}` });
  }
  checkText(out, `${path}.content`, e.content, { min: 0, maxBytes: limits.contentBytesMax, controls: contentControl });
  checkMeta(out, path, e.meta);
  const ms = e.createdAt ? Number(e.createdAt.seconds) * 1000 + Math.floor(e.createdAt.nanos / 1e6) : 0;
  if (e.createdAt && (!Number.isSafeInteger(ms) || ms < 0 || e.createdAt.nanos < 0 || e.createdAt.nanos > 999_999_999)) {
    out.push({ field: `${path}.created_at`, description: "must be a valid time after 1970" });
  }
}

/**
 * Validates an Append batch against the limits and the allowed types.
 * @throws HubError `invalidArgument` listing every violation.
 */
export function validateEntries(entries: readonly EntryInput[], types: ReadonlySet<string>, nowMs: number): EntryDraft[] {
  const out: FieldViolation[] = [];
  if (entries.length === 0) out.push({ field: "entries", description: "must hold at least one entry" });
  if (entries.length > limits.batchEntriesMax) {
    out.push({ field: "entries", description: `holds ${entries.length} entries; the maximum is ${limits.batchEntriesMax}` });
    throw invalidArgument(out);
  }
  let contentBytes = 0;
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    checkEntry(out, `entries[${i}]`, e, types);
    contentBytes += e.content.length;
    const first = seen.get(e.id);
    if (first !== undefined) out.push({ field: `entries[${i}].id`, description: `repeats entries[${first}].id in the same batch` });
    else seen.set(e.id, i);
  });
  if (contentBytes > limits.batchContentBytesMax) {
    out.push({ field: "entries", description: `content totals over ${limits.batchContentBytesMax} bytes` });
  }
  if (out.length > 0) throw invalidArgument(out);
  return entries.map((e) => ({
    id: e.id,
    type: e.type,
    content: e.content,
    meta: { ...e.meta },
    createdAtMs: e.createdAt ? Number(e.createdAt.seconds) * 1000 + Math.floor(e.createdAt.nanos / 1e6) : nowMs,
  }));
}
