/**
 * Positions and log records shared by the Raft core, the log store and the
 * node runtime. Pure: no I/O, no clock, no randomness (CONVENTIONS, "Pure folders").
 */

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** A Raft term (thesis §3.3). 64-bit, starts at 0. */
export type Term = Brand<bigint, "Term">;
/** A position in the Raft log (thesis §3.5). 64-bit; the first record has index 1. */
export type RaftIndex = Brand<bigint, "RaftIndex">;
/** A dense position among data entries (DESIGN §3). 64-bit; the first entry has seq 1. */
export type Seq = Brand<bigint, "Seq">;
/** A stable node id, such as `n1`. */
export type NodeId = string;

/** Brands a bigint as a Term. */
export const term = (n: bigint | number): Term => BigInt(n) as Term;
/** Brands a bigint as a RaftIndex. */
export const raftIndex = (n: bigint | number): RaftIndex => BigInt(n) as RaftIndex;
/** Brands a bigint as a Seq. */
export const seq = (n: bigint | number): Seq => BigInt(n) as Seq;

/** An entry as stored once the leader has stamped it (DESIGN §3). Times are Unix ms. */
export interface StoredEntry {
  readonly id: string;
  readonly type: string;
  readonly content: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
  readonly seq: Seq;
  readonly origin: string;
  readonly term: Term;
  readonly committedAtMs: number;
}

/** A single-server membership change (thesis §4.1). */
export interface ConfigChange {
  readonly kind: "addLearner" | "promote" | "remove";
  readonly nodeId: NodeId;
  /** Addresses of the member, carried so every node learns them from the log. */
  readonly peerUrl?: string;
  readonly clientUrl?: string;
}

/** A replicated change to the token table. Only hashes of secrets are ever stored. */
export interface TokenChange {
  readonly kind: "create" | "revoke" | "use";
  readonly tokenId: string;
  readonly name?: string;
  readonly tokenKind?: "client" | "admin" | "join";
  /** Hex SHA-256 of the secret. */
  readonly hash?: string;
  readonly maxUses?: number;
  readonly createdAtMs?: number;
}

/**
 * What a log record carries. The Raft core acts on `noop` and `config`; it
 * treats `entry` and `token` as opaque application payloads.
 */
export type Payload =
  | { readonly kind: "entry"; readonly entry: StoredEntry }
  | { readonly kind: "noop" }
  | { readonly kind: "config"; readonly change: ConfigChange }
  | { readonly kind: "token"; readonly change: TokenChange };

/** One record of the replicated log. */
export interface LogRecord {
  readonly index: RaftIndex;
  readonly term: Term;
  readonly payload: Payload;
}
