/**
 * ClusterService: status, membership, leadership transfer, join and backup
 * (DESIGN §5, §6). Changes go through the leader; a follower answers with a
 * NotLeader hint like any write.
 */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import { ClusterService } from "@synod/proto/cluster";
import { TokenInfoSchema } from "@synod/proto/hub";
import { hashToken, newTokenId, newTokenSecret } from "../auth/token-secret.js";
import { HubError, invalidArgument } from "../hub-error.js";
import type { HubNode } from "../node/hub-node.js";
import type { ConfigChange } from "../raft/types.js";
import { seq, type StoredEntry } from "../raft/types.js";
import { wireError } from "./error-table.js";
import { buildStatus, type NodeFacts } from "./status.js";

/** Entries per Backup chunk. */
const backupChunkEntries = 1000;
const idPattern = /^[A-Za-z0-9._-]{1,64}$/;
const urlPattern = /^https?:\/\/\S+$/;

/** One entry as a backup line (the same JSON shape `synod connection sync` writes). */
export function backupLine(e: StoredEntry): string {
  return JSON.stringify({ ...e, seq: String(e.seq), term: String(e.term) }) + "\n";
}

/** What ClusterService needs. */
export interface ClusterServiceDeps {
  readonly node: HubNode;
  readonly facts: NodeFacts;
  readonly nowMs: () => number;
  /** The cluster's id and secret (handed to joiners). */
  readonly ident: () => { readonly clusterId: string; readonly clusterSecret: string };
  /** Waits until `pred` holds or `timeoutMs` passes; true when it held. */
  readonly waitFor: (pred: () => boolean, timeoutMs: number) => Promise<boolean>;
}

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wireError(err);
  }
}

async function changeMembership(d: ClusterServiceDeps, change: ConfigChange) {
  const r = await d.node.runtime.proposeConfigChange(change);
  if (!r.ok) {
    const e = r.error;
    if (e.kind === "notLeader") throw d.node.notLeader();
    if (e.kind === "transferring") throw new HubError({ kind: "unavailable" }, "leadership is being transferred; retry");
    const reason = "reason" in e ? String(e.reason) : e.kind;
    throw new HubError({ kind: "failedPrecondition" }, `membership change refused: ${reason}`);
  }
  await d.node.runtime.waitCommitted(r.value.index, r.value.term);
  return { members: buildStatus(d.node, d.facts, d.nowMs()).members };
}

function checkMember(nodeId: string, peerUrl: string, clientUrl: string): void {
  const out = [];
  if (!idPattern.test(nodeId)) out.push({ field: "node_id", description: "must be 1..64 of [A-Za-z0-9._-]" });
  if (!urlPattern.test(peerUrl)) out.push({ field: "peer_url", description: "must be an http(s) URL" });
  if (!urlPattern.test(clientUrl)) out.push({ field: "client_url", description: "must be an http(s) URL" });
  if (out.length > 0) throw invalidArgument(out);
}

/** Registers ClusterService on a router. */
export function registerClusterService(router: ConnectRouter, d: ClusterServiceDeps): void {
  const node = d.node;
  router.service(ClusterService, {
    status: () => ({ status: buildStatus(node, d.facts, d.nowMs()) }),
    async *watchStatus(req, ctx) {
      const intervalMs = req.intervalMs === 0 ? 1000 : Math.min(60_000, Math.max(100, req.intervalMs));
      while (!ctx.signal.aborted) {
        yield { status: buildStatus(node, d.facts, d.nowMs()) };
        await new Promise<void>((r) => {
          const t = setTimeout(r, intervalMs);
          ctx.signal.addEventListener("abort", () => (clearTimeout(t), r()), { once: true });
        });
      }
    },
    addMember: (req) =>
      mapped(async () => {
        checkMember(req.nodeId, req.peerUrl, req.clientUrl);
        return changeMembership(d, { kind: "addLearner", nodeId: req.nodeId, peerUrl: req.peerUrl, clientUrl: req.clientUrl });
      }),
    removeMember: (req) =>
      mapped(async () => {
        if (!idPattern.test(req.nodeId)) throw invalidArgument([{ field: "node_id", description: "must be 1..64 of [A-Za-z0-9._-]" }]);
        return changeMembership(d, { kind: "remove", nodeId: req.nodeId });
      }),
    transferLeadership: (req) =>
      mapped(async () => {
        const rs = node.runtime.status();
        if (rs.role !== "leader") throw node.notLeader();
        const target = req.toNodeId || bestSuccessor(rs);
        if (!target) throw new HubError({ kind: "failedPrecondition" }, "no other voter to hand leadership to");
        const r = await node.runtime.transferLeadership(target);
        if (!r.ok) throw new HubError({ kind: "failedPrecondition" }, `transfer refused: ${"reason" in r.error ? r.error.reason : r.error.kind}`);
        const moved = await d.waitFor(() => node.runtime.leader().id === target, 5 * d.facts.electionMs);
        if (!moved) throw new HubError({ kind: "unavailable" }, `${target} did not take over within ${5 * d.facts.electionMs} ms`);
        const l = node.runtime.leader();
        return { leaderId: l.id ?? "", term: l.term };
      }),
    createJoinToken: (req) =>
      mapped(async () => {
        const secret = newTokenSecret("join");
        const tokenId = newTokenId();
        const maxUses = req.maxUses === 0 ? 1 : req.maxUses;
        await node.proposeToken({ kind: "create", tokenId, name: "join", tokenKind: "join", hash: hashToken(secret), maxUses, createdAtMs: d.nowMs() });
        return { token: secret, info: create(TokenInfoSchema, { tokenId, name: "join", kind: "join", usesLeft: maxUses, createdAt: timestampFromMs(d.nowMs()) }) };
      }),
    join: (req) =>
      mapped(async () => {
        const caller = node.tokens.authenticate(req.joinToken);
        if (!caller || caller.kind !== "join") throw new HubError({ kind: "unauthenticated" }, "missing or invalid token");
        checkMember(req.nodeId, req.peerUrl, req.clientUrl);
        if (node.runtime.status().role !== "leader") throw node.notLeader();
        const existing = node.runtime.status();
        // A voter that comes back empty (a wiped disk) must not vote again as if
        // nothing happened: it has to be removed and join afresh.
        if (existing.voters.includes(req.nodeId)) {
          throw new HubError({ kind: "failedPrecondition" }, `${req.nodeId} is already a voter; remove it first (synod hub peer remove ${req.nodeId})`);
        }
        if (!existing.learners.includes(req.nodeId)) {
          await node.proposeToken({ kind: "use", tokenId: caller.tokenId });
          await changeMembership(d, { kind: "addLearner", nodeId: req.nodeId, peerUrl: req.peerUrl, clientUrl: req.clientUrl });
        }
        return { members: buildStatus(node, d.facts, d.nowMs()).members, clusterId: d.ident().clusterId, clusterSecret: d.ident().clusterSecret };
      }),
    async *backup(req, ctx) {
      const finalSeq = node.commit.seq;
      let cursor = seq(req.afterSeq);
      const all = { types: [], origins: [] };
      while (cursor < finalSeq && !ctx.signal.aborted) {
        const page = await node.read(cursor, backupChunkEntries, all);
        const through = page.throughSeq > finalSeq ? finalSeq : page.throughSeq;
        const lines = page.entries.filter((e) => e.seq <= finalSeq).map(backupLine).join("");
        yield { chunk: new TextEncoder().encode(lines), throughSeq: through, finalSeq };
        cursor = through;
      }
    },
  });
}

/** The caught-up voter with the highest match index. */
function bestSuccessor(rs: ReturnType<HubNode["runtime"]["status"]>): string | undefined {
  let best: string | undefined;
  let bestMatch = -1n;
  for (const [id, f] of rs.followers) {
    if (f.learner || !rs.voters.includes(id)) continue;
    if (f.match > bestMatch) {
      best = id;
      bestMatch = f.match;
    }
  }
  return best;
}
