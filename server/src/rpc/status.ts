/** Builds the status message of a node (HubService.Status, ClusterService.Status). */
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Role } from "@synod/proto/entry";
import { StatusResponseSchema, type StatusResponse } from "@synod/proto/hub";
import type { HubNode } from "../node/hub-node.js";

/** Static facts about the node that the status shows. */
export interface NodeFacts {
  readonly mode: string;
  readonly version: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly storageError: () => string;
}

/** The status of a single node: always leader of a cluster of one. */
export function buildStatus(node: HubNode, facts: NodeFacts, nowMs: number): StatusResponse {
  const commitSeq = node.commit.seq;
  return create(StatusResponseSchema, {
    nodeId: node.nodeId,
    role: Role.LEADER,
    term: node.term,
    leaderId: node.nodeId,
    leaderUrl: facts.clientUrl,
    commitSeq,
    appliedSeq: commitSeq,
    entries: commitSeq,
    uptimeMs: BigInt(node.uptimeMs),
    mode: facts.mode,
    hasQuorum: true,
    version: facts.version,
    clientUrl: facts.clientUrl,
    commitIndex: node.lastIndex,
    lastIndex: node.lastIndex,
    storageError: facts.storageError(),
    members: [
      {
        nodeId: node.nodeId,
        role: Role.LEADER,
        clientUrl: facts.clientUrl,
        peerUrl: facts.peerUrl,
        reachable: true,
        voter: true,
        inSync: true,
        lastContact: timestampFromMs(nowMs),
        commitSeq,
        appliedSeq: commitSeq,
      },
    ],
  });
}
