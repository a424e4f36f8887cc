/**
 * Raw HubService clients for workloads, one per node URL and shared by every appender
 * and listener (one HTTP/2 session per node, as a real application would hold).
 */
import type { Client } from "@connectrpc/connect";
import type { HubService } from "@synod/proto/hub";
import { hubClient } from "../hub-client.js";

/** Clients by URL, created on first use. */
export interface ClientPool {
  /** The client for `url` (any URL, including one learned from a NotLeader hint). */
  get(url: string): Client<typeof HubService>;
}

/** A pool whose clients send `token` on every call. */
export function clientPool(token: string): ClientPool {
  const clients = new Map<string, Client<typeof HubService>>();
  return {
    get(url) {
      const key = url.replace(/\/+$/, "");
      let c = clients.get(key);
      if (!c) clients.set(key, (c = hubClient(key, token)));
      return c;
    },
  };
}

/** A jittered exponential backoff in ms: `attempt` 0 gives up to `baseMs`, capped at `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
