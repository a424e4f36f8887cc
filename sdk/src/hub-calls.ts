import { create } from "@bufbuild/protobuf";
import {
  AppendRequestSchema,
  ListRequestSchema,
  ReadRequestSchema,
  RegisterRequestSchema,
  RevokeRequestSchema,
  StatusRequestSchema,
} from "@synod/proto/hub";
import { runCall } from "./call.js";
import type { ClientContext } from "./client-context.js";
import { normalizePeerUrl } from "./core/peer-url.js";
import { asSeq } from "./core/seq.js";
import { invariantError, SynodError } from "./core/synod-error.js";
import { fromWireEntry, fromWireStatus, fromWireToken, toWireEntryInput, toWireWriteConcern } from "./convert.js";
import type {
  AppendOptions,
  AppendResult,
  CallOptions,
  EntryInput,
  IssuedToken,
  NodeStatus,
  ReadOptions,
  ReadResult,
  RevokeTarget,
  StatusOptions,
  TokenInfo,
} from "./model.js";

/** Most entries in one append (hub.proto AppendRequest: 1..1000). */
export const APPEND_BATCH_MAX = 1000;

/**
 * Appends entries. Ids are fixed once, before the first attempt, so every retry
 * carries the same ids and the leader's dedup makes retries safe (DESIGN §3).
 */
export async function appendEntries(
  ctx: ClientContext,
  inputs: readonly EntryInput[],
  options: AppendOptions = {},
): Promise<AppendResult[]> {
  if (inputs.length === 0 || inputs.length > APPEND_BATCH_MAX) {
    throw new SynodError({
      kind: "invalidArgument",
      message: `an append takes 1..${APPEND_BATCH_MAX} entries, got ${inputs.length}`,
      failure: "fatal",
      retryable: false,
      details: { fieldViolations: [{ field: "entries", description: `must hold 1..${APPEND_BATCH_MAX} entries` }] },
    });
  }
  const now = new Date();
  const entries = inputs.map((e) => toWireEntryInput({ ...e, id: e.id ?? ctx.newId() }, now));
  const request = create(AppendRequestSchema, { entries, writeConcern: toWireWriteConcern(options.writeConcern) });
  const response = await runCall(ctx, {
    method: "Append",
    kind: "append",
    options,
    run: async (peer, signal, timeoutMs) => {
      const r = await ctx.hub(peer).append(request, { signal, timeoutMs, headers: ctx.headers() });
      ctx.observeLeader(r.leaderId, peer, r.term);
      return r;
    },
  });
  if (response.results.length !== entries.length) {
    throw invariantError(`append returned ${response.results.length} results for ${entries.length} entries`);
  }
  return response.results.map((r) => ({ id: r.id, seq: asSeq(r.seq), duplicate: r.duplicate }));
}

/** Reads one page of committed entries; retried freely (reads have no side effects). */
export async function readEntries(ctx: ClientContext, options: ReadOptions = {}): Promise<ReadResult> {
  const request = create(ReadRequestSchema, {
    afterSeq: options.afterSeq ?? 0n,
    limit: options.limit ?? 0,
    types: [...(options.types ?? [])],
    origins: [...(options.origins ?? [])],
    consistent: options.consistent ?? false,
    minSeq: options.minSeq ?? 0n,
  });
  const r = await runCall(ctx, {
    method: "Read",
    kind: "read",
    options,
    run: (peer, signal, timeoutMs) => ctx.hub(peer).read(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return {
    entries: r.entries.map(fromWireEntry),
    throughSeq: asSeq(r.throughSeq),
    commitSeq: asSeq(r.commitSeq),
    hasMore: r.hasMore,
  };
}

/**
 * HubService.Status of the leader, any peer, or the pinned one.
 * @param background true for the peer refresh (see `CallSpec.background`).
 */
export async function nodeStatus(ctx: ClientContext, options: StatusOptions = {}, background = false): Promise<NodeStatus> {
  const r = await runCall(ctx, {
    method: "Status",
    kind: "read",
    options,
    background,
    pinnedPeer: options.peer === undefined ? undefined : normalizePeerUrl(options.peer),
    run: (peer, signal, timeoutMs) =>
      ctx.hub(peer).status(create(StatusRequestSchema), { signal, timeoutMs, headers: ctx.headers() }),
  });
  return fromWireStatus(r);
}

/** Registers a client name; a write, so retried only when not executed. */
export async function registerClient(ctx: ClientContext, name: string, options: CallOptions = {}): Promise<IssuedToken> {
  const request = create(RegisterRequestSchema, { name });
  const r = await runCall(ctx, {
    method: "Register",
    kind: "write",
    options,
    run: (peer, signal, timeoutMs) => ctx.hub(peer).register(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return { token: r.token, info: fromWireToken(r.info) };
}

/** Revokes a token (or all of a name's tokens). @returns how many were revoked. */
export async function revokeTokens(ctx: ClientContext, target: RevokeTarget, options: CallOptions = {}): Promise<number> {
  const request = create(RevokeRequestSchema, "tokenId" in target ? { tokenId: target.tokenId } : { name: target.name });
  const r = await runCall(ctx, {
    method: "Revoke",
    kind: "write",
    options,
    run: (peer, signal, timeoutMs) => ctx.hub(peer).revoke(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return r.revoked;
}

/** Lists tokens (never their secrets). */
export async function listTokens(ctx: ClientContext, options: CallOptions = {}): Promise<TokenInfo[]> {
  const r = await runCall(ctx, {
    method: "List",
    kind: "read",
    options,
    run: (peer, signal, timeoutMs) =>
      ctx.hub(peer).list(create(ListRequestSchema), { signal, timeoutMs, headers: ctx.headers() }),
  });
  return r.tokens.map(fromWireToken);
}
