import { create } from "@bufbuild/protobuf";
import {
  AddMemberRequestSchema,
  BackupRequestSchema,
  ClusterServiceStatusRequestSchema,
  CreateJoinTokenRequestSchema,
  RemoveMemberRequestSchema,
  TransferLeadershipRequestSchema,
} from "@synod/proto/cluster";
import { runCall } from "./call.js";
import type { ClientContext } from "./client-context.js";
import { CallState, chooseEndpoint } from "./core/call-state.js";
import { toSynodError } from "./core/error-table.js";
import { normalizePeerUrl } from "./core/peer-url.js";
import { asSeq, asTerm } from "./core/seq.js";
import { invariantError } from "./core/synod-error.js";
import { fromWireMember, fromWireStatus, fromWireToken } from "./convert.js";
import type {
  BackupChunk,
  CallOptions,
  IssuedToken,
  LeadershipTransfer,
  MemberInfo,
  NewMember,
  NodeStatus,
  StatusOptions,
} from "./model.js";

/** ClusterService.Status (admin token). */
export async function clusterStatus(ctx: ClientContext, options: StatusOptions = {}): Promise<NodeStatus> {
  const r = await runCall(ctx, {
    method: "ClusterStatus",
    kind: "read",
    options,
    pinnedPeer: options.peer === undefined ? undefined : normalizePeerUrl(options.peer),
    run: (peer, signal, timeoutMs) =>
      ctx.cluster(peer).status(create(ClusterServiceStatusRequestSchema), { signal, timeoutMs, headers: ctx.headers() }),
  });
  if (r.status === undefined) throw invariantError("cluster status answer without a status");
  return fromWireStatus(r.status);
}

/** Adds a member as a learner; a write, retried only when not executed. */
export async function addMember(ctx: ClientContext, member: NewMember, options: CallOptions = {}): Promise<MemberInfo[]> {
  const request = create(AddMemberRequestSchema, member);
  const r = await runCall(ctx, {
    method: "AddMember",
    kind: "write",
    options,
    run: (peer, signal, timeoutMs) => ctx.cluster(peer).addMember(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return r.members.map(fromWireMember);
}

/** Removes a member; a write, retried only when not executed. */
export async function removeMember(ctx: ClientContext, nodeId: string, options: CallOptions = {}): Promise<MemberInfo[]> {
  const request = create(RemoveMemberRequestSchema, { nodeId });
  const r = await runCall(ctx, {
    method: "RemoveMember",
    kind: "write",
    options,
    run: (peer, signal, timeoutMs) =>
      ctx.cluster(peer).removeMember(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return r.members.map(fromWireMember);
}

/** Hands leadership to `toNodeId` (or the most caught-up voter when absent). */
export async function transferLeadership(
  ctx: ClientContext,
  toNodeId: string | undefined,
  options: CallOptions = {},
): Promise<LeadershipTransfer> {
  const request = create(TransferLeadershipRequestSchema, { toNodeId: toNodeId ?? "" });
  const r = await runCall(ctx, {
    method: "TransferLeadership",
    kind: "write",
    options,
    run: (peer, signal, timeoutMs) =>
      ctx.cluster(peer).transferLeadership(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return { leaderId: r.leaderId, term: asTerm(r.term) };
}

/** Creates a join token usable `maxUses` times (0 means 1). */
export async function createJoinToken(ctx: ClientContext, maxUses: number, options: CallOptions = {}): Promise<IssuedToken> {
  const request = create(CreateJoinTokenRequestSchema, { maxUses });
  const r = await runCall(ctx, {
    method: "CreateJoinToken",
    kind: "write",
    options,
    run: (peer, signal, timeoutMs) =>
      ctx.cluster(peer).createJoinToken(request, { signal, timeoutMs, headers: ctx.headers() }),
  });
  return { token: r.token, info: fromWireToken(r.info) };
}

/**
 * Streams a backup of entries after `afterSeq` from the leader (or any peer).
 * Not retried: a broken backup fails with a SynodError, and the caller resumes
 * with the last chunk's `throughSeq` as the next `afterSeq`. Ending the
 * iteration cancels the RPC.
 */
export async function* backupChunks(ctx: ClientContext, afterSeq: bigint, signal?: AbortSignal): AsyncGenerator<BackupChunk> {
  const peer = chooseEndpoint(new CallState(), ctx.endpoints, ctx.tracker);
  const rpc = new AbortController();
  const onAbort = (): void => rpc.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  ctx.events.emit("attempt", { method: "Backup", kind: "read", attempt: 1, peer });
  try {
    const stream = ctx.cluster(peer).backup(create(BackupRequestSchema, { afterSeq }), {
      signal: rpc.signal,
      headers: ctx.headers(),
    });
    for await (const m of stream) {
      yield { chunk: m.chunk, throughSeq: asSeq(m.throughSeq), finalSeq: asSeq(m.finalSeq) };
    }
  } catch (error) {
    throw toSynodError(error, peer);
  } finally {
    rpc.abort();
    signal?.removeEventListener("abort", onAbort);
  }
}
