import type { Seq, Term } from "./core/seq.js";

/** When an append is acknowledged (DESIGN §4). Default `"majority"`. */
export type WriteConcernName = "majority" | "leader";

/** An entry as the application submits it (DESIGN §3). */
export interface EntryInput {
  /** One of the hub's allowed types (default allow-list: decision, learning, convention, task). */
  readonly type: string;
  /** UTF-8 text, at most 1 MiB. */
  readonly content: string;
  /** Small advisory string map; no control characters. */
  readonly meta?: Readonly<Record<string, string>>;
  /** Idempotency key, 1..128 bytes. When absent the SDK assigns a UUIDv7 once, before the first attempt. */
  readonly id?: string;
  /** The client clock when the entry was made; defaults to now. */
  readonly createdAt?: Date;
}

/** A committed entry as readers see it. */
export interface Entry {
  readonly id: string;
  readonly type: string;
  readonly content: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly createdAt: Date | undefined;
  /** Dense position among data entries. */
  readonly seq: Seq;
  /** The client name bound to the token that appended it. */
  readonly origin: string;
  /** The Raft term in which the leader appended it. */
  readonly term: Term;
  readonly committedAt: Date | undefined;
}

/** Options every call accepts. */
export interface CallOptions {
  /** Cancels the call (every attempt and backoff); the call fails with kind `cancelled`. */
  readonly signal?: AbortSignal;
  /** Deadline for the whole call, all attempts included, in ms. Default: the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/** Options of `append`. */
export interface AppendOptions extends CallOptions {
  readonly writeConcern?: WriteConcernName;
}

/** The outcome of appending one entry. */
export interface AppendResult {
  readonly id: string;
  readonly seq: Seq;
  /** True when the id was already in the log; `seq` is then the original one. */
  readonly duplicate: boolean;
}

/** Options of `read`. */
export interface ReadOptions extends CallOptions {
  /** Exclusive cursor: entries with seq > afterSeq. Default 0. */
  readonly afterSeq?: bigint;
  /** Page size 1..1000; default (0) means the server's 100. */
  readonly limit?: number;
  readonly types?: readonly string[];
  readonly origins?: readonly string[];
  /** Ask the leader to confirm its leadership first (read-index). */
  readonly consistent?: boolean;
  /** Wait until the answering node has applied at least this seq (read-your-writes). */
  readonly minSeq?: bigint;
}

/** One page of a read. */
export interface ReadResult {
  readonly entries: readonly Entry[];
  /** The page covers every seq up to here: the next `afterSeq`. */
  readonly throughSeq: Seq;
  readonly commitSeq: Seq;
  /** True when committed entries exist past `throughSeq`. */
  readonly hasMore: boolean;
}

/** Options of `listen` and `listenEntries`. */
export interface ListenOptions {
  /** Exclusive cursor to start after. Default 0 (the whole log). */
  readonly afterSeq?: bigint;
  readonly types?: readonly string[];
  readonly origins?: readonly string[];
  /** Heartbeat period asked of the server, 100..60000 ms. Default: the client's `heartbeatMs`. */
  readonly heartbeatMs?: number;
  /** Ends the iteration with a `cancelled` error and cancels the RPC. */
  readonly signal?: AbortSignal;
}

/**
 * One listen message: it covers `(afterSeq, throughSeq]` and carries the
 * matching entries in it (none for a heartbeat). Persist `throughSeq` to resume.
 */
export interface ListenBatch {
  readonly afterSeq: Seq;
  readonly throughSeq: Seq;
  readonly entries: readonly Entry[];
  readonly commitSeq: Seq;
  readonly leaderId: string;
  readonly term: Term;
}

/** A node role as shown to users (DESIGN §5). */
export type RoleName = "leader" | "follower" | "learner" | "candidate" | "offline" | "unspecified";

/** One member as the answering node sees it. */
export interface MemberInfo {
  readonly nodeId: string;
  readonly role: RoleName;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly reachable: boolean;
  readonly lagEntries: bigint;
  readonly lagMs: number;
  readonly lastContact: Date | undefined;
  readonly commitSeq: Seq;
  readonly appliedSeq: Seq;
  readonly voter: boolean;
  readonly inSync: boolean;
}

/** A node's view of itself and the cluster. */
export interface NodeStatus {
  readonly nodeId: string;
  readonly role: RoleName;
  readonly term: Term;
  readonly leaderId: string;
  readonly leaderUrl: string;
  readonly commitSeq: Seq;
  readonly appliedSeq: Seq;
  /** Number of committed entries. */
  readonly entries: bigint;
  readonly uptimeMs: number;
  /** `single`, `bootstrap` or `join`. */
  readonly mode: string;
  readonly members: readonly MemberInfo[];
  readonly hasQuorum: boolean;
  readonly version: string;
  readonly clientUrl: string;
  readonly commitIndex: bigint;
  readonly lastIndex: bigint;
  /** "" when the node can write; otherwise why not. */
  readonly storageError: string;
}

/** Options of `status` and `clusterStatus`. */
export interface StatusOptions extends CallOptions {
  /** Ask this peer (host:port or URL) only, instead of the leader or any peer. */
  readonly peer?: string;
}

/** A token as listed; never the secret. */
export interface TokenInfo {
  readonly tokenId: string;
  readonly name: string;
  /** `client`, `admin` or `join`. */
  readonly kind: string;
  readonly createdAt: Date | undefined;
  /** For join tokens: uses left. */
  readonly usesLeft: number;
}

/** A newly created token: the secret is shown once. */
export interface IssuedToken {
  readonly token: string;
  readonly info: TokenInfo;
}

/** Which tokens `revoke` removes: one token id, or every token of a client name. */
export type RevokeTarget = { readonly tokenId: string } | { readonly name: string };

/** A member to add. */
export interface NewMember {
  readonly nodeId: string;
  readonly peerUrl: string;
  readonly clientUrl: string;
}

/** The outcome of a leadership transfer. */
export interface LeadershipTransfer {
  readonly leaderId: string;
  readonly term: Term;
}

/** One chunk of a backup: JSON lines, one entry per line, in seq order. */
export interface BackupChunk {
  readonly chunk: Uint8Array;
  readonly throughSeq: Seq;
  /** The committed seq when the backup started; the stream ends there. */
  readonly finalSeq: Seq;
}
