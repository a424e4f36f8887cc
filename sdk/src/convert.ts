import { create } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Entry as WireEntry, EntryInput as WireEntryInput } from "@synod/proto/entry";
import { EntryInputSchema, Role, WriteConcern } from "@synod/proto/entry";
import type { MemberStatus, StatusResponse, TokenInfo as WireTokenInfo } from "@synod/proto/hub";
import { asSeq, asTerm } from "./core/seq.js";
import type { Entry, EntryInput, MemberInfo, NodeStatus, RoleName, TokenInfo, WriteConcernName } from "./model.js";

// Conversions between generated wire messages and the SDK's plain public types.

/** Builds the wire form of an entry whose id has already been fixed. */
export function toWireEntryInput(entry: EntryInput & { readonly id: string }, now: Date): WireEntryInput {
  return create(EntryInputSchema, {
    id: entry.id,
    type: entry.type,
    content: entry.content,
    meta: { ...(entry.meta ?? {}) },
    createdAt: timestampFromDate(entry.createdAt ?? now),
  });
}

/** Maps a write concern name to the wire enum. */
export function toWireWriteConcern(name: WriteConcernName | undefined): WriteConcern {
  return name === "leader" ? WriteConcern.LEADER : WriteConcern.MAJORITY;
}

function optionalDate(ts: Timestamp | undefined): Date | undefined {
  return ts === undefined ? undefined : timestampDate(ts);
}

/** Converts a committed wire entry to the public type. */
export function fromWireEntry(e: WireEntry): Entry {
  return {
    id: e.id,
    type: e.type,
    content: e.content,
    meta: { ...e.meta },
    createdAt: optionalDate(e.createdAt),
    seq: asSeq(e.seq),
    origin: e.origin,
    term: asTerm(e.term),
    committedAt: optionalDate(e.committedAt),
  };
}

const ROLE_NAMES: Record<Role, RoleName> = {
  [Role.UNSPECIFIED]: "unspecified",
  [Role.LEADER]: "leader",
  [Role.FOLLOWER]: "follower",
  [Role.LEARNER]: "learner",
  [Role.CANDIDATE]: "candidate",
  [Role.OFFLINE]: "offline",
};

/** Converts a wire role to its user-facing name. */
export function roleName(role: Role): RoleName {
  return ROLE_NAMES[role] ?? "unspecified";
}

/** Converts a wire member status. */
export function fromWireMember(m: MemberStatus): MemberInfo {
  return {
    nodeId: m.nodeId,
    role: roleName(m.role),
    clientUrl: m.clientUrl,
    peerUrl: m.peerUrl,
    reachable: m.reachable,
    lagEntries: m.lagEntries,
    lagMs: Number(m.lagMs),
    lastContact: optionalDate(m.lastContact),
    commitSeq: asSeq(m.commitSeq),
    appliedSeq: asSeq(m.appliedSeq),
    voter: m.voter,
    inSync: m.inSync,
  };
}

/** Converts a wire status answer. */
export function fromWireStatus(s: StatusResponse): NodeStatus {
  return {
    nodeId: s.nodeId,
    role: roleName(s.role),
    term: asTerm(s.term),
    leaderId: s.leaderId,
    leaderUrl: s.leaderUrl,
    commitSeq: asSeq(s.commitSeq),
    appliedSeq: asSeq(s.appliedSeq),
    entries: s.entries,
    uptimeMs: Number(s.uptimeMs),
    mode: s.mode,
    members: s.members.map(fromWireMember),
    hasQuorum: s.hasQuorum,
    version: s.version,
    clientUrl: s.clientUrl,
    commitIndex: s.commitIndex,
    lastIndex: s.lastIndex,
    storageError: s.storageError,
  };
}

/** Converts a wire token description. */
export function fromWireToken(t: WireTokenInfo | undefined): TokenInfo {
  return {
    tokenId: t?.tokenId ?? "",
    name: t?.name ?? "",
    kind: t?.kind ?? "",
    createdAt: optionalDate(t?.createdAt),
    usesLeft: t?.usesLeft ?? 0,
  };
}
