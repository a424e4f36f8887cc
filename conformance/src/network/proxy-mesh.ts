/**
 * One {@link TcpProxy} per directed peer link of a test cluster: node A dials node B
 * through proxy(A, B), so a test can cut A→B without touching B→A. Partitions are
 * expressed as the set of cut links; client ports are never proxied (test clients can
 * reach every node, as in a partition between racks that clients straddle).
 */
import { startTcpProxy, type CutMode, type TcpProxy } from "./tcp-proxy.js";

/** The proxies of a cluster and the network faults built from them. */
export interface ProxyMesh {
  /** The proxy on the link `from` → `to`. Throws for an unknown link. */
  proxy(from: string, to: string): TcpProxy;
  /** The `--peer-route` value for `from`: `id=127.0.0.1:port,...` for every other node. */
  routesFor(from: string): string;
  /**
   * Makes the network exactly `groups`: links inside a group are healed, links between
   * groups are cut both ways. The groups must cover every node exactly once.
   */
  partition(groups: readonly (readonly string[])[], mode?: CutMode): void;
  /** Cuts every link to and from `id`; other links are healed. */
  isolate(id: string, mode?: CutMode): void;
  /** Cuts the one directed link `from` → `to` (in addition to any other cut). */
  cutLink(from: string, to: string, mode?: CutMode): void;
  /** Heals every link. */
  heal(): void;
  /** The links currently cut, as `[from, to]` pairs. */
  cutLinks(): [string, string][];
  /** Closes every proxy. */
  close(): Promise<void>;
}

/**
 * Starts a proxy for every ordered pair of `peerPorts` (node id → real peer port).
 * Proxy ports never collide with `reservedPorts` (ports chosen for nodes but not yet bound).
 */
export async function startProxyMesh(peerPorts: ReadonlyMap<string, number>, reservedPorts: ReadonlySet<number>, defaultMode: CutMode = "blackhole"): Promise<ProxyMesh> {
  const ids = [...peerPorts.keys()];
  const proxies = new Map<string, TcpProxy>();
  const key = (from: string, to: string): string => `${from}->${to}`;
  try {
    for (const from of ids) {
      for (const to of ids) {
        if (from === to) continue;
        proxies.set(key(from, to), await proxyAvoiding(peerPorts.get(to) ?? 0, reservedPorts));
      }
    }
  } catch (err) {
    await Promise.all([...proxies.values()].map((p) => p.close()));
    throw err;
  }
  const proxy = (from: string, to: string): TcpProxy => {
    const p = proxies.get(key(from, to));
    if (!p) throw new Error(`no link ${from} -> ${to} (nodes: ${ids.join(", ")})`);
    return p;
  };
  const heal = (): void => proxies.forEach((p) => p.heal());
  const partition = (groups: readonly (readonly string[])[], mode: CutMode = defaultMode): void => {
    const groupOf = groupIndex(ids, groups);
    for (const from of ids) {
      for (const to of ids) {
        if (from === to) continue;
        if (groupOf.get(from) === groupOf.get(to)) proxy(from, to).heal();
        else proxy(from, to).cut(mode);
      }
    }
  };

  return {
    proxy,
    routesFor: (from) =>
      ids
        .filter((to) => to !== from)
        .map((to) => `${to}=${proxy(from, to).address}`)
        .join(","),
    partition,
    isolate: (id, mode = defaultMode) => partition([[id], ids.filter((n) => n !== id)], mode),
    cutLink(from, to, mode = defaultMode) {
      proxy(from, to).cut(mode);
    },
    heal,
    cutLinks: () =>
      [...proxies.entries()]
        .filter(([, p]) => p.state() !== "open")
        .map(([k]) => k.split("->") as [string, string]),
    close: async () => {
      await Promise.all([...proxies.values()].map((p) => p.close()));
    },
  };
}

/** Maps each node to its group, checking the groups cover every node exactly once. */
function groupIndex(ids: readonly string[], groups: readonly (readonly string[])[]): Map<string, number> {
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) =>
    g.forEach((id) => {
      if (!ids.includes(id)) throw new Error(`partition: unknown node ${id}`);
      if (groupOf.has(id)) throw new Error(`partition: ${id} is in two groups`);
      groupOf.set(id, i);
    }),
  );
  const missing = ids.filter((id) => !groupOf.has(id));
  if (missing.length > 0) throw new Error(`partition: ${missing.join(", ")} in no group; list every node`);
  return groupOf;
}

/** Attempts to find a proxy port outside the reserved set before giving up. */
const proxyPortAttemptsMax = 10;

async function proxyAvoiding(targetPort: number, reserved: ReadonlySet<number>): Promise<TcpProxy> {
  for (let i = 0; i < proxyPortAttemptsMax; i++) {
    const p = await startTcpProxy({ host: "127.0.0.1", port: targetPort });
    if (!reserved.has(p.port)) return p;
    await p.close();
  }
  throw new Error(`no proxy port outside the ${reserved.size} reserved ports after ${proxyPortAttemptsMax} attempts`);
}
