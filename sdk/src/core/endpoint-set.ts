import type { Random } from "./clock.js";
import { normalizePeerUrl } from "./peer-url.js";

/** A cluster member as learned from status: its node id and client URL. */
export interface MemberEndpoint {
  readonly nodeId: string;
  readonly clientUrl: string;
}

/**
 * The peers a client may talk to (DESIGN §7): the members learned from cluster
 * status first, then the seeds the application gave, kept as a last resort even
 * when status no longer lists them (a seed may be a load balancer or a node that
 * will come back). Members that disappear from status are dropped.
 */
export class EndpointSet {
  readonly #seeds: readonly string[];
  #members: MemberEndpoint[] = [];
  #cursor: number;

  /**
   * @param seeds normalized seed URLs (at least one).
   * @param random spreads the first pick so many clients do not all start on seed 0.
   */
  constructor(seeds: readonly string[], random: Random) {
    if (seeds.length === 0) throw new TypeError("at least one seed peer is required");
    this.#seeds = [...seeds];
    this.#cursor = Math.floor(random.next() * seeds.length);
  }

  /** Every URL, members first, without duplicates. */
  urls(): string[] {
    const out = this.#members.map((m) => m.clientUrl);
    for (const seed of this.#seeds) if (!out.includes(seed)) out.push(seed);
    return out;
  }

  /** The seeds as configured. */
  seeds(): readonly string[] {
    return this.#seeds;
  }

  /** The node id a URL belongs to, when status told us. */
  nodeIdOf(url: string): string | undefined {
    return this.#members.find((m) => m.clientUrl === url)?.nodeId;
  }

  /** The client URL of a member node id, when status told us. */
  urlOf(nodeId: string): string | undefined {
    return nodeId === "" ? undefined : this.#members.find((m) => m.nodeId === nodeId)?.clientUrl;
  }

  /**
   * Replaces the learned members with those in a status answer. Members without
   * a client URL are skipped. An empty list is ignored: a node that knows no
   * members is not a reason to forget the cluster.
   * @returns true when the set of URLs changed.
   */
  applyMembers(members: readonly MemberEndpoint[]): boolean {
    const next: MemberEndpoint[] = [];
    for (const m of members) {
      if (m.clientUrl === "") continue;
      let url: string;
      try {
        url = normalizePeerUrl(m.clientUrl);
      } catch {
        continue;
      }
      if (!next.some((n) => n.clientUrl === url)) next.push({ nodeId: m.nodeId, clientUrl: url });
    }
    if (next.length === 0) return false;
    const before = this.urls().join(",");
    this.#members = next;
    return this.urls().join(",") !== before;
  }

  /**
   * The next URL in round-robin order that is not in `avoid`. When every URL is
   * avoided, returns the next one anyway (the caller resets its avoid set).
   */
  next(avoid: ReadonlySet<string>): string {
    const urls = this.urls();
    for (let i = 0; i < urls.length; i++) {
      const url = urls[(this.#cursor + i) % urls.length];
      if (url !== undefined && !avoid.has(url)) {
        this.#cursor = (this.#cursor + i + 1) % urls.length;
        return url;
      }
    }
    const url = urls[this.#cursor % urls.length] ?? this.#seeds[0] ?? "";
    this.#cursor = (this.#cursor + 1) % urls.length;
    return url;
  }
}
