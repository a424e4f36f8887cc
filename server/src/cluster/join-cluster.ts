/**
 * The joining side of `join` mode: ask a member (following NotLeader hints to
 * the leader) to add this node as a learner, and learn the cluster secret.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ClusterService, type JoinResponse } from "@synod/proto/cluster";
import { NotLeaderSchema } from "@synod/proto/errors";
import type { Logger } from "../logger.js";

/** Attempts before giving up (each waits a little longer). */
const joinAttemptsMax = 20;

/** Joins through `memberUrl`; resolves with the member list and the cluster secret. */
export async function joinCluster(
  memberUrl: string,
  req: { joinToken: string; nodeId: string; peerUrl: string; clientUrl: string },
  logger: Logger,
): Promise<JoinResponse> {
  let url = memberUrl;
  let lastError: unknown;
  for (let attempt = 0; attempt < joinAttemptsMax; attempt++) {
    const client = createClient(ClusterService, createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
    try {
      return await client.join(req, { timeoutMs: 15_000 });
    } catch (err) {
      lastError = err;
      const ce = ConnectError.from(err);
      if (ce.code === Code.Unauthenticated || ce.code === Code.InvalidArgument || ce.code === Code.PermissionDenied) throw ce;
      const hint = ce.findDetails(NotLeaderSchema)[0];
      if (hint?.leaderUrl) url = hint.leaderUrl;
      else url = memberUrl;
      logger.info("join: retrying", { via: url, reason: ce.rawMessage });
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
  throw new Error(`could not join through ${memberUrl}: ${(lastError as Error)?.message ?? "no answer"}`);
}
