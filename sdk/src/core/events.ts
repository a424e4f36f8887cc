import type { CallKind } from "./call-state.js";
import type { Seq, Term } from "./seq.js";
import type { ErrorKind, SynodError } from "./synod-error.js";

/** Payloads of the events a client emits (DESIGN §7), by event name. */
export interface ClientEvents {
  /** An attempt of a call (or a listen connection) starts. `attempt` counts from 1. */
  attempt: { readonly method: string; readonly kind: CallKind | "listen"; readonly attempt: number; readonly peer: string };
  /** A NotLeader hint with a newer term is followed at once. */
  redirect: { readonly method: string; readonly from: string; readonly to: string; readonly term: Term };
  /** The client waits before the next attempt or reconnect. */
  backoff: { readonly method: string; readonly delayMs: number; readonly attempt: number; readonly reason: ErrorKind; readonly peer: string };
  /** The believed leader changed or was lost (`to` is "" while unknown). */
  failover: { readonly from: string; readonly to: string; readonly term: Term };
  /** A listen stream reconnects, resuming after `afterSeq`. */
  resume: { readonly afterSeq: Seq; readonly peer: string };
  /** The peer list changed after a status refresh. */
  peers: { readonly peers: readonly string[] };
  /** A call or a listener stops retrying and fails with `error`. */
  giveUp: { readonly method: string; readonly attempts: number; readonly error: SynodError };
}

/** An event name. */
export type ClientEventName = keyof ClientEvents;

/** A listener for one event. */
export type ClientEventListener<E extends ClientEventName> = (payload: ClientEvents[E]) => void;

/**
 * A small typed event emitter. Listeners run synchronously in registration
 * order; a listener that throws is isolated so it cannot break a call.
 */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /**
   * Subscribes to an event.
   * @returns a function that unsubscribes.
   */
  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Calls every listener of `event` with `payload`. */
  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (p: Events[E]) => void)(payload);
      } catch {
        // An observer's bug must not change what the call does.
      }
    }
  }
}
