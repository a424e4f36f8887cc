/**
 * The server adapter contract (docs/conformance.md, "Server adapter"): how the runner
 * starts, stops, kills and pauses the nodes of any server implementation.
 *
 * The adapter is a long-running process. The runner writes one JSON request per line
 * on its stdin and reads one JSON reply per line on its stdout (anything else the
 * adapter prints goes to stderr). Requests carry an `id`; the reply echoes it with
 * either `ok` or `error` (a message). Several requests may be in flight at once (the
 * nodes of a cluster are started together); replies may come in any order.
 *
 * The runner owns the network: it picks every port, and node A reaches node B through
 * a TCP proxy the runner controls (`routes`), so partitions need no help from the
 * server. The adapter only manages processes.
 */

/** One initial member of the cluster, as every node must be told at bootstrap. */
export interface MemberSpec {
  readonly id: string;
  /** The member's own peer address, `127.0.0.1:<port>` (its identity in the membership). */
  readonly peerAddress: string;
}

/** Everything a node needs to start; identical on every restart of that node. */
export interface NodeSpec {
  /** `n1` .. `n5`. */
  readonly id: string;
  /**
   * Clients (and the runner) connect here: `http://127.0.0.1:<clientPort>`, HTTP/1.1 and
   * HTTP/2 cleartext (prior knowledge) on the same port. The `leader_url` of NotLeader
   * hints must be exactly the `clientUrl` the adapter returned for that node.
   */
  readonly clientPort: number;
  /** The node listens for peers here. */
  readonly peerPort: number;
  /** Created empty by the runner before the first start; the same directory, with its data, on a restart. */
  readonly dataDir: string;
  /** The initial voters, this node included. */
  readonly members: readonly MemberSpec[];
  /** Where this node must dial each other member: member id → `127.0.0.1:<proxy port>`. */
  readonly routes: Readonly<Record<string, string>>;
  /** Must be accepted as an admin bearer token on every node. */
  readonly adminToken: string;
  /** A shared secret the nodes may use to authenticate each other. */
  readonly clusterSecret: string;
  /** Base election timeout the node should use, ms. */
  readonly electionTimeoutMs: number;
  /** Leader heartbeat period, ms. */
  readonly heartbeatMs: number;
  /**
   * Serve the test-only ControlService (fail points). True unless a case's `cluster:`
   * block says `testControl: false`; then ControlService must answer `unimplemented`
   * (a server only serves it when started with an explicit flag).
   */
  readonly testControl: boolean;
}

/**
 * A request to the adapter. `kill`, `stop`, `pause` and `resume` of a node that has
 * already exited (a `crash` fail point, for example) succeed and do nothing. If a node
 * cannot start because a port is taken, the error message must contain `EADDRINUSE`:
 * the runner then retries the cluster on fresh ports.
 */
export type AdapterRequest =
  | { readonly id: number; readonly op: "hello" }
  | { readonly id: number; readonly op: "start"; readonly node: NodeSpec }
  | { readonly id: number; readonly op: "kill" | "stop" | "pause" | "resume"; readonly node: string }
  | { readonly id: number; readonly op: "shutdown" };

/** The `ok` payload of `hello`. */
export interface AdapterHello {
  /** A name for the report, such as `synod 0.1.0`. */
  readonly implementation: string;
  /** Contract version the adapter speaks; this runner speaks 1. */
  readonly contract: 1;
}

/** The `ok` payload of `start`: the node listens on its client port. */
export interface StartedNode {
  /** `http://127.0.0.1:<clientPort>`. */
  readonly clientUrl: string;
  readonly pid?: number;
}

/** A reply from the adapter. */
export type AdapterReply = { readonly id: number; readonly ok: unknown } | { readonly id: number; readonly error: string };

/** Contract version spoken by this runner. */
export const adapterContractVersion = 1;
