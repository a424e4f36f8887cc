/** Log records between their in-memory form and the wire (peer.proto LogRecord). */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { EntrySchema, type Entry } from "@synod/proto/entry";
import { ConfigChange_Kind, LogRecordSchema, TokenChange_Kind, type LogRecord as WireRecord } from "@synod/proto/peer";
import { raftIndex, seq, term, type ConfigChange, type LogRecord, type Payload, type StoredEntry, type TokenChange } from "../raft/types.js";

const configKinds: Record<ConfigChange["kind"], ConfigChange_Kind> = {
  addLearner: ConfigChange_Kind.ADD_LEARNER,
  promote: ConfigChange_Kind.PROMOTE,
  remove: ConfigChange_Kind.REMOVE,
};
const tokenKinds: Record<TokenChange["kind"], TokenChange_Kind> = {
  create: TokenChange_Kind.CREATE,
  revoke: TokenChange_Kind.REVOKE,
  use: TokenChange_Kind.USE,
};
const invert = <K extends string, V extends number>(m: Record<K, V>): Map<V, K> => new Map(Object.entries(m).map(([k, v]) => [v as V, k as K]));
const configByWire = invert(configKinds);
const tokenByWire = invert(tokenKinds);

/** An entry on the wire. */
export function entryToWire(e: StoredEntry): Entry {
  return create(EntrySchema, { id: e.id, type: e.type, content: e.content, meta: { ...e.meta }, createdAt: timestampFromMs(e.createdAtMs), seq: e.seq, origin: e.origin, term: e.term, committedAt: timestampFromMs(e.committedAtMs) });
}

/** An entry from the wire. */
export function entryFromWire(e: Entry): StoredEntry {
  return { id: e.id, type: e.type, content: e.content, meta: { ...e.meta }, createdAtMs: e.createdAt ? timestampMs(e.createdAt) : 0, seq: seq(e.seq), origin: e.origin, term: term(e.term), committedAtMs: e.committedAt ? timestampMs(e.committedAt) : 0 };
}

/** A record on the wire. */
export function recordToWire(r: LogRecord): WireRecord {
  const p = r.payload;
  const base = { index: r.index, term: r.term };
  switch (p.kind) {
    case "entry":
      return create(LogRecordSchema, { ...base, payload: { case: "entry", value: entryToWire(p.entry) } });
    case "noop":
      return create(LogRecordSchema, { ...base, payload: { case: "noop", value: {} } });
    case "config": {
      const c = p.change;
      return create(LogRecordSchema, { ...base, payload: { case: "configChange", value: { kind: configKinds[c.kind], nodeId: c.nodeId, peerUrl: c.peerUrl ?? "", clientUrl: c.clientUrl ?? "" } } });
    }
    case "token": {
      const t = p.change;
      const value = { kind: tokenKinds[t.kind], tokenId: t.tokenId, name: t.name ?? "", tokenKind: t.tokenKind ?? "", hash: t.hash ?? "", maxUses: t.maxUses ?? 0, createdAtMs: BigInt(t.createdAtMs ?? 0) };
      return create(LogRecordSchema, { ...base, payload: { case: "tokenChange", value } });
    }
  }
}

/** A record from the wire; throws on a record no version of Synod writes. */
export function recordFromWire(w: WireRecord): LogRecord {
  return { index: raftIndex(w.index), term: term(w.term), payload: payloadFromWire(w) };
}

function payloadFromWire(w: WireRecord): Payload {
  const p = w.payload;
  switch (p.case) {
    case "entry":
      return { kind: "entry", entry: entryFromWire(p.value) };
    case "noop":
      return { kind: "noop" };
    case "configChange": {
      const kind = configByWire.get(p.value.kind);
      if (!kind) throw new Error(`unknown config change kind ${p.value.kind}`);
      const c = p.value;
      return { kind: "config", change: { kind, nodeId: c.nodeId, ...(c.peerUrl ? { peerUrl: c.peerUrl } : {}), ...(c.clientUrl ? { clientUrl: c.clientUrl } : {}) } };
    }
    case "tokenChange": {
      const kind = tokenByWire.get(p.value.kind);
      if (!kind) throw new Error(`unknown token change kind ${p.value.kind}`);
      const t = p.value;
      const change: TokenChange = { kind, tokenId: t.tokenId, ...(t.name ? { name: t.name } : {}), ...(t.tokenKind ? { tokenKind: t.tokenKind as "client" | "admin" | "join" } : {}), ...(t.hash ? { hash: t.hash } : {}), ...(t.maxUses ? { maxUses: t.maxUses } : {}), ...(t.createdAtMs ? { createdAtMs: Number(t.createdAtMs) } : {}) };
      return { kind: "token", change };
    }
    default:
      throw new Error("log record without a payload");
  }
}
