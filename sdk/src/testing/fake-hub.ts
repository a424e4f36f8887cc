import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { Entry } from "@synod/proto/entry";
import {
  AppendResponseSchema,
  ListenResponseSchema,
  ReadResponseSchema,
  TokenInfoSchema,
  type HubService,
  type ListenRequest,
  type ListenResponse,
} from "@synod/proto/hub";
import { badRequestError } from "./fake-errors.js";
import type { FakeCluster, FakeNode } from "./fake-cluster.js";

/** Most entries per append, as the real server enforces. */
const APPEND_MAX = 1000;

function matches(e: Entry, types: readonly string[], origins: readonly string[]): boolean {
  return (types.length === 0 || types.includes(e.type)) && (origins.length === 0 || origins.includes(e.origin));
}

/** The HubService of one fake node. */
export function fakeHubService(cluster: FakeCluster, node: FakeNode): ServiceImpl<typeof HubService> {
  return {
    append(req, ctx) {
      const origin = cluster.authenticate(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      if (req.entries.length === 0 || req.entries.length > APPEND_MAX) {
        throw badRequestError("entries", `must hold 1..${APPEND_MAX} entries`);
      }
      req.entries.forEach((e, i) => {
        if (e.id === "" || e.type === "") throw badRequestError(`entries[${i}]`, "id and type are required");
      });
      const results = req.entries.map((e) => cluster.appendOne(e, origin));
      return create(AppendResponseSchema, { results, term: cluster.term, leaderId: node.id });
    },
    read(req, ctx) {
      cluster.authenticate(ctx.requestHeader.get("authorization"));
      const limit = req.limit === 0 ? 100 : req.limit;
      const page = cluster.log.filter((e) => e.seq > req.afterSeq).slice(0, limit);
      const throughSeq = page.at(-1)?.seq ?? (req.afterSeq > cluster.commitSeq() ? req.afterSeq : cluster.commitSeq());
      return create(ReadResponseSchema, {
        entries: page.filter((e) => matches(e, req.types, req.origins)),
        throughSeq,
        commitSeq: cluster.commitSeq(),
        hasMore: throughSeq < cluster.commitSeq(),
      });
    },
    listen: (req, ctx) => listenStream(cluster, node, req, ctx),
    status(_req, ctx) {
      cluster.authenticate(ctx.requestHeader.get("authorization"));
      return cluster.statusOf(node);
    },
    register(req, ctx) {
      cluster.authenticate(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(req.name)) throw badRequestError("name", "1..64 of [A-Za-z0-9._-]");
      const tokenId = `t${cluster.tokens.size}`;
      const token = `synod_cli_${req.name}_${tokenId}`;
      cluster.tokens.set(token, { tokenId, name: req.name, kind: "client" });
      return { token, info: create(TokenInfoSchema, { tokenId, name: req.name, kind: "client" }) };
    },
    revoke(req, ctx) {
      cluster.authenticate(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      let revoked = 0;
      for (const [secret, info] of cluster.tokens) {
        if ((req.tokenId !== "" && info.tokenId === req.tokenId) || (req.name !== "" && info.name === req.name)) {
          cluster.tokens.delete(secret);
          revoked++;
        }
      }
      if (revoked === 0) throw new ConnectError("no such token", Code.NotFound);
      return { revoked };
    },
    list(_req, ctx) {
      cluster.authenticate(ctx.requestHeader.get("authorization"));
      return { tokens: [...cluster.tokens.values()].map((t) => create(TokenInfoSchema, t)) };
    },
  };
}

/**
 * Backlog then live entries, each message covering (after, through]; a
 * heartbeat when idle for the requested period. A killed node breaks the
 * stream; a partitioned node goes silent.
 */
async function* listenStream(
  cluster: FakeCluster,
  node: FakeNode,
  req: ListenRequest,
  ctx: HandlerContext,
): AsyncGenerator<ListenResponse> {
  cluster.authenticate(ctx.requestHeader.get("authorization"));
  const stream = { node: node.id, afterSeq: req.afterSeq, signal: ctx.signal, messages: 0 };
  cluster.streams.push(stream);
  const heartbeatMs = req.heartbeatMs === 0 ? cluster.options.heartbeatMs : req.heartbeatMs;
  let cursor = req.afterSeq;
  for (;;) {
    if (!node.alive) throw new ConnectError("connection reset", Code.Unavailable);
    if (node.partitioned) {
      await cluster.waitChange(ctx.signal);
      continue;
    }
    const batch = cluster.log.filter((e) => e.seq > cursor).slice(0, cluster.options.listenBatchMax);
    const last = batch.at(-1);
    if (last === undefined && !(await cluster.waitChange(ctx.signal, heartbeatMs))) continue;
    const throughSeq = last?.seq ?? cursor;
    stream.messages++;
    yield create(ListenResponseSchema, {
      afterSeq: cursor,
      throughSeq,
      entries: batch.filter((e) => matches(e, req.types, req.origins)),
      commitSeq: cluster.commitSeq(),
      leaderId: cluster.leaderId ?? "",
      term: cluster.term,
    });
    cursor = throughSeq;
  }
}
