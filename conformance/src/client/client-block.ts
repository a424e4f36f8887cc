/**
 * The `client:` block of a client case: how the client under test is created.
 *
 * ```yaml
 * client:
 *   peers: cluster            # every node of a live cluster; or a list of names:
 *                             #   fake server names (a, b), node selectors (n1, leader,
 *                             #   follower, follower2), or URLs
 *   token: admin              # admin (default with a cluster) | none (default with fake
 *                             #   servers) | any other string, sent as is
 *   options: { timeoutMs: 5000, backoff: { baseMs: 10, capMs: 100 } }
 * ```
 */
import type { ConnectRequest, DriverClientOptions } from "../driver/driver-contract.js";
import { resolveNode } from "../ops/node-selector.js";
import type { CaseContext } from "../runner/case-context.js";
import type { FakeServers } from "./fake-servers-api.js";

/** The `client:` block as written in a case. */
export interface ClientBlock {
  readonly peers: "cluster" | readonly string[];
  readonly token?: string;
  readonly options?: DriverClientOptions;
}

/**
 * The `connect` request (without `id` and `op`) for the case's client block.
 * @throws Error for a peer name that is neither a fake server, a node nor a URL, and
 *   for `token: admin` without a cluster.
 */
export async function connectRequestOf(ctx: CaseContext, fake: FakeServers | undefined): Promise<Omit<ConnectRequest, "id" | "op">> {
  const block = (ctx.case.client ?? {}) as Partial<ClientBlock>;
  const hasCluster = ctx.case.cluster !== undefined;
  const peers = await resolvePeers(ctx, block.peers ?? (hasCluster ? "cluster" : (fake?.names ?? [])), fake);
  if (peers.length === 0) throw new Error("the client block names no peers");
  const token = block.token ?? (hasCluster ? "admin" : "none");
  let resolvedToken: string | undefined;
  if (token === "admin") {
    if (!hasCluster) throw new Error("client.token: admin needs a cluster (fake servers have no admin token); write the token itself");
    resolvedToken = ctx.cluster().adminToken;
  } else if (token !== "none") {
    resolvedToken = token;
  }
  return { peers, ...(resolvedToken !== undefined ? { token: resolvedToken } : {}), ...(block.options !== undefined ? { options: block.options } : {}) };
}

async function resolvePeers(ctx: CaseContext, peers: "cluster" | readonly string[], fake: FakeServers | undefined): Promise<string[]> {
  if (peers === "cluster") {
    const cluster = ctx.cluster();
    return cluster.ids.map((id) => cluster.url(id));
  }
  const urls: string[] = [];
  for (const name of peers) {
    if (fake?.names.includes(name)) urls.push(fake.url(name));
    else if (/^https?:\/\//.test(name)) urls.push(name);
    else if (ctx.case.cluster !== undefined) urls.push(ctx.cluster().url(await resolveNode(ctx, name)));
    else throw new Error(`client.peers: ${name} is not a fake server (${fake?.names.join(", ") ?? "none"}) or a URL`);
  }
  return urls;
}
