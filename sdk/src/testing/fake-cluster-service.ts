import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { ClusterServiceStatusResponseSchema, type ClusterService } from "@synod/proto/cluster";
import { TokenInfoSchema } from "@synod/proto/hub";
import type { FakeCluster, FakeNode } from "./fake-cluster.js";

/** Entries per backup chunk (small, so tests see several chunks). */
const BACKUP_CHUNK_ENTRIES = 2;

/** The ClusterService of one fake node. */
export function fakeClusterService(cluster: FakeCluster, node: FakeNode): Partial<ServiceImpl<typeof ClusterService>> {
  const auth = (header: string | null): void => {
    cluster.authenticate(header);
  };
  return {
    status(_req, ctx) {
      auth(ctx.requestHeader.get("authorization"));
      return create(ClusterServiceStatusResponseSchema, { status: cluster.statusOf(node) });
    },
    addMember(req, ctx) {
      auth(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      if (cluster.nodes.some((n) => n.id === req.nodeId && n.member)) {
        throw new ConnectError(`member ${req.nodeId} exists`, Code.AlreadyExists);
      }
      cluster.nodes.push({ id: req.nodeId, url: req.clientUrl, alive: true, partitioned: false, member: true });
      cluster.notify();
      return { members: cluster.statusOf(node).members };
    },
    removeMember(req, ctx) {
      auth(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      const target = cluster.nodes.find((n) => n.id === req.nodeId && n.member);
      if (target === undefined) throw new ConnectError(`no member ${req.nodeId}`, Code.NotFound);
      target.member = false;
      if (cluster.leaderId === target.id) cluster.leaderId = undefined;
      cluster.notify();
      return { members: cluster.statusOf(node).members };
    },
    transferLeadership(req, ctx) {
      auth(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      const to = req.toNodeId || cluster.nodes.find((n) => n.alive && n.member && n.id !== node.id)?.id;
      if (to === undefined) throw new ConnectError("no voter to transfer to", Code.FailedPrecondition);
      cluster.elect(to);
      return { leaderId: to, term: cluster.term };
    },
    createJoinToken(req, ctx) {
      auth(ctx.requestHeader.get("authorization"));
      cluster.requireLeader(node);
      const tokenId = `j${cluster.tokens.size}`;
      const token = `synod_join_${tokenId}`;
      const usesLeft = req.maxUses === 0 ? 1 : req.maxUses;
      cluster.tokens.set(token, { tokenId, name: "join", kind: "join" });
      return { token, info: create(TokenInfoSchema, { tokenId, name: "join", kind: "join", usesLeft }) };
    },
    async *backup(req, ctx) {
      auth(ctx.requestHeader.get("authorization"));
      const finalSeq = cluster.commitSeq();
      const entries = cluster.log.filter((e) => e.seq > req.afterSeq && e.seq <= finalSeq);
      for (let i = 0; i < entries.length; i += BACKUP_CHUNK_ENTRIES) {
        const part = entries.slice(i, i + BACKUP_CHUNK_ENTRIES);
        const lines = part.map((e) => `${JSON.stringify({ id: e.id, seq: String(e.seq), type: e.type, content: e.content })}\n`);
        yield { chunk: new TextEncoder().encode(lines.join("")), throughSeq: part.at(-1)?.seq ?? req.afterSeq, finalSeq };
      }
    },
  };
}
