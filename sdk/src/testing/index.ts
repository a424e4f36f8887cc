/**
 * `@synod/sdk/testing`: test failover handling without a network. A fake
 * cluster of in-memory nodes (built on Connect's router transport), a manual
 * clock and scheduler, and a seeded random.
 *
 * ```ts
 * const cluster = new FakeCluster({ nodes: 3 });
 * const client = createClient({ peers: cluster.peers(), transport: cluster.transport });
 * ```
 */
export { FakeCluster } from "./fake-cluster.js";
export type { FakeCall, FakeClusterOptions, FakeFault, FakeNode, FakeStream } from "./fake-cluster.js";
export { ManualClock } from "./manual-clock.js";
export type { ManualClockOptions } from "./manual-clock.js";
export { SeededRandom, sequenceRandom, testSeed } from "./seeded-random.js";
export {
  badRequestError,
  compactedError,
  connectionLostError,
  connectionRefusedError,
  notLeaderError,
  overloadedError,
  storageFullError,
} from "./fake-errors.js";
export { waitFor } from "./wait-for.js";
