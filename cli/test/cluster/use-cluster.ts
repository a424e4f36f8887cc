/** A shared 3-node cluster for the tests of one file (vitest hooks; keep out of the harness so scripts can use it). */
import { afterAll, beforeAll } from "vitest";
import { startCluster, type Cluster, type ClusterTimers } from "./cluster-harness.js";

/**
 * Starts a 3-node cluster (300/50 ms timers) before a test file's tests and
 * stops it after them; resolves once it has a leader and every node accepts
 * the admin token. Returns a getter for the running cluster.
 */
export function useCluster(timers: Partial<ClusterTimers> = { electionTimeoutMs: 300, heartbeatMs: 50 }): () => Cluster {
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster({ size: 3, timers });
    await cluster.leader(30_000);
    await cluster.ready(30_000);
  }, 120_000);
  afterAll(async () => cluster?.stop());
  return () => {
    if (!cluster) throw new Error("the cluster did not start");
    return cluster;
  };
}
