/** Conversion between stored entries and their wire form. */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { EntrySchema, type Entry } from "@synod/proto/entry";
import type { StoredEntry } from "../raft/types.js";

/** The wire form of a committed entry. */
export function toWireEntry(e: StoredEntry): Entry {
  return create(EntrySchema, {
    id: e.id,
    type: e.type,
    content: e.content,
    meta: { ...e.meta },
    createdAt: timestampFromMs(e.createdAtMs),
    seq: e.seq,
    origin: e.origin,
    term: e.term,
    committedAt: timestampFromMs(e.committedAtMs),
  });
}
