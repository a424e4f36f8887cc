import { create } from "@bufbuild/protobuf";
import { Role } from "@synod/proto/entry";
import { MemberStatusSchema, StatusResponseSchema, type StatusResponse } from "@synod/proto/hub";
import type { FakeCluster, FakeNode } from "./fake-cluster.js";

/** The status answer of one fake node: its role, the leader, and every member with its client URL. */
export function fakeStatus(cluster: FakeCluster, node: FakeNode): StatusResponse {
  const leader = cluster.leader();
  const commitSeq = cluster.commitSeq();
  const members = cluster.nodes
    .filter((n) => n.member)
    .map((n) =>
      create(MemberStatusSchema, {
        nodeId: n.id,
        role: !n.alive ? Role.OFFLINE : n.id === cluster.leaderId ? Role.LEADER : Role.FOLLOWER,
        clientUrl: n.url,
        peerUrl: n.url.replace(":9900", ":9901"),
        reachable: n.alive && !n.partitioned,
        commitSeq,
        appliedSeq: commitSeq,
        voter: true,
        inSync: n.alive,
      }),
    );
  return create(StatusResponseSchema, {
    nodeId: node.id,
    role: node.id === cluster.leaderId ? Role.LEADER : Role.FOLLOWER,
    term: cluster.term,
    leaderId: leader?.id ?? "",
    leaderUrl: leader?.url ?? "",
    commitSeq,
    appliedSeq: commitSeq,
    entries: commitSeq,
    mode: "bootstrap",
    members,
    hasQuorum: leader !== undefined,
    version: "fake",
    clientUrl: node.url,
  });
}
