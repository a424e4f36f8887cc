import { createClient, type SynodClient } from "./client.js";
import type { ClientEventName, ClientEvents } from "./core/events.js";
import type { ClientOptions } from "./options.js";
import { FakeCluster, type FakeClusterOptions } from "./testing/fake-cluster.js";
import { ManualClock } from "./testing/manual-clock.js";
import { SeededRandom, testSeed } from "./testing/seeded-random.js";

// Shared set-up of the client-level tests (not part of the public test kit).

/** Every event a client emitted, in order. */
export type EventLog = Array<{ [E in ClientEventName]: { event: E; payload: ClientEvents[E] } }[ClientEventName]>;

const EVENT_NAMES: readonly ClientEventName[] = ["attempt", "redirect", "backoff", "failover", "resume", "peers", "giveUp"];

/** The seed of this run's random; replay with SEED=. */
export const SEED = testSeed(20261121);

/** A fake cluster and a client on a manual, auto-advancing clock. */
export function setupClient(
  options: { cluster?: FakeClusterOptions; peers?: string[]; client?: Partial<ClientOptions> } = {},
): { cluster: FakeCluster; client: SynodClient; clock: ManualClock; events: EventLog } {
  const cluster = new FakeCluster(options.cluster);
  const clock = new ManualClock({ autoAdvance: true });
  const client = createClient({
    peers: options.peers ?? cluster.peers(),
    transport: cluster.transport,
    clock,
    scheduler: clock,
    random: new SeededRandom(SEED),
    refreshPeersMs: 0,
    ...options.client,
  });
  const events: EventLog = [];
  for (const name of EVENT_NAMES) {
    client.on(name, (payload) => events.push({ event: name, payload } as EventLog[number]));
  }
  return { cluster, client, clock, events };
}

/** The payloads of one event type. */
export function eventsOf<E extends ClientEventName>(log: EventLog, event: E): Array<ClientEvents[E]> {
  return log.filter((e) => e.event === event).map((e) => e.payload as ClientEvents[E]);
}

/** Awaits a promise that must reject, returning the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
