/**
 * The parsed form of a case's `fakeServers:` block: what each scripted fake server
 * answers, in order. `parseFakeServers` builds it from the YAML and checks it; the
 * servers only read it. Names of other fake servers are already resolved to URLs.
 */
import type { Message } from "@bufbuild/protobuf";
import type { Code } from "@connectrpc/connect";
import type { ScriptableMethod } from "./fake-methods.js";

/**
 * How a request is cut after it was read: `stream` resets only this request's HTTP/2
 * stream (RST_STREAM INTERNAL_ERROR); `connection` resets the TCP connection, and
 * with it every request on it. Over HTTP/1.1 both reset the connection (there is
 * nothing narrower).
 */
export type DropMode = "stream" | "connection";

/** A wire error as a Synod server sends it (DESIGN §6 error table). */
export interface ScriptedError {
  readonly code: Code;
  /** The wire name of the code, for records: `unavailable`, `resource_exhausted`, … */
  readonly codeName: string;
  readonly message: string;
  /** NotLeader detail; empty id and URL when no leader is known. */
  readonly notLeader?: { readonly leaderId: string; readonly leaderUrl: string; readonly term: bigint };
  /** RetryInfo detail, ms. */
  readonly retryAfterMs?: number;
  /** StorageFull detail (its reason). */
  readonly storageFull?: string;
  /** Compacted detail (the earliest seq kept). */
  readonly compactedEarliestSeq?: bigint;
  /** BadRequest detail. */
  readonly badRequest?: readonly { readonly field: string; readonly description: string }[];
}

/** One entry carried by a scripted listen message. */
export interface ScriptedEntryRef {
  readonly seq: bigint;
  readonly id: string;
}

/** One step of a scripted Listen stream, in order. */
export type StreamStep =
  /** A message covering (after, through] with these entries. */
  | {
      readonly kind: "batch";
      readonly after: bigint;
      readonly through: bigint;
      readonly entries: readonly ScriptedEntryRef[];
      readonly commit: bigint;
    }
  /** An idle message: covers (through, through], no entries. */
  | { readonly kind: "heartbeat"; readonly through: bigint }
  /** Wait before the next step. */
  | { readonly kind: "delay"; readonly ms: number }
  /** End the stream: cleanly, or with an error. */
  | { readonly kind: "end"; readonly error?: ScriptedError }
  /** Send nothing more but keep the stream open until the client cancels it. */
  | { readonly kind: "silent" }
  /** Cut the stream or its connection. */
  | { readonly kind: "drop"; readonly mode: DropMode };

/** What a scripted response does, after its delay. */
export type ScriptedAction =
  /** Answer with a message: computed from the fake log (`auto`) or given. */
  | { readonly kind: "ok"; readonly body: "auto" | Message; readonly thenDrop?: DropMode }
  | { readonly kind: "error"; readonly error: ScriptedError }
  /** Never answer; the request ends when the client cancels it (or its deadline passes). */
  | { readonly kind: "hang" }
  /** Read the request, then cut the stream or connection: the client cannot know the outcome. */
  | { readonly kind: "drop"; readonly mode: DropMode }
  /** A Listen stream. */
  | { readonly kind: "stream"; readonly steps: readonly StreamStep[] };

/** One scripted response; the list of a method is consumed in order, the last repeating. */
export interface ScriptedResponse {
  readonly action: ScriptedAction;
  /** Wait before acting, ms (0 for none). */
  readonly delayMs: number;
  /** How many requests this response answers before the next one is used (≥ 1). */
  readonly times: number;
}

/** One fake server. */
export interface FakeServerScript {
  readonly name: string;
  /** Nothing listens on its port: connections are refused (nothing is sent). */
  readonly down: boolean;
  /** The term it states in `auto` answers and Listen messages. */
  readonly term: bigint;
  /** The leader it names in `auto` Status answers: a fake server name, or "". */
  readonly leader: string;
  /** Fake server names listed as members in `auto` Status answers. */
  readonly members: readonly string[];
  /** Scripted responses per method; methods absent here answer `unimplemented`. */
  readonly methods: ReadonlyMap<ScriptableMethod, readonly ScriptedResponse[]>;
}

/** The whole `fakeServers:` block. */
export interface FakeServersScript {
  /** In definition order. */
  readonly servers: readonly FakeServerScript[];
}
