/**
 * A live listener for fault tests (DESIGN §6 Listen, §9 invariant 7). It records every
 * Listen message exactly as received (range and entries) and, when a stream fails or
 * goes silent, resumes after the last `throughSeq` on the next node. It does no
 * checking itself: feed its messages to `checkListener` from @synod/conformance.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ListenObservation } from "@synod/conformance";
import { backoffMs, clientPool } from "./client-pool.js";

/** One message as received, with the node that sent it. */
export interface ListenRecord extends ListenObservation {
  readonly url: string;
}

/** What a listener saw. */
export interface ListenHistory {
  /** Every message, in the order received, across reconnects. */
  readonly messages: ListenRecord[];
  /** Streams opened after the first. */
  readonly resumes: number;
  /** Why each stream ended (`<url>: <message>`), for diagnosis. */
  readonly errors: string[];
}

/** Options of {@link startListener}. */
export interface ListenerOptions {
  readonly urls: readonly string[];
  readonly token: string;
  /** The first cursor (`after_seq`); default `0n`. */
  readonly startAfterSeq?: bigint;
  /** Heartbeat period asked of the server, 100..60000 ms; default 200. */
  readonly heartbeatMs?: number;
  /** A stream silent this long is abandoned (a paused node); default 10 heartbeats. */
  readonly idleTimeoutMs?: number;
  /** A number in [0, 1) for backoff jitter; default `Math.random`. */
  readonly random?: () => number;
}

/** A running listener. */
export interface Listener {
  /** The last `throughSeq` received (the resume cursor). */
  cursor(): bigint;
  /** Resolves once the cursor reaches `seq`; rejects after `timeoutMs` with the cursor and last errors. */
  reached(seq: bigint, timeoutMs: number): Promise<void>;
  /** Cancels the stream and returns the history. */
  stop(): Promise<ListenHistory>;
}

/** Errors kept in the history; older ones are dropped beyond this. */
const errorsKeptMax = 200;
const backoffBaseMs = 25;
const backoffCapMs = 500;

/** Starts listening on the first URL; runs until {@link Listener.stop}. */
export function startListener(opts: ListenerOptions): Listener {
  if (opts.urls.length === 0) throw new RangeError("startListener: no urls");
  const pool = clientPool(opts.token);
  const history: { -readonly [K in keyof ListenHistory]: ListenHistory[K] } = { messages: [], resumes: 0, errors: [] };
  const stopper = new AbortController();
  const heartbeatMs = opts.heartbeatMs ?? 200;
  const idleTimeoutMs = opts.idleTimeoutMs ?? heartbeatMs * 10;
  const random = opts.random ?? Math.random;
  let cursor = opts.startAfterSeq ?? 0n;
  const waiters = new Set<() => void>();
  const noteError = (line: string): void => {
    history.errors.push(line);
    if (history.errors.length > errorsKeptMax) history.errors.shift();
  };

  const loop = (async () => {
    let failuresInARow = 0;
    for (let attempt = 0; !stopper.signal.aborted; attempt++) {
      const url = opts.urls[attempt % opts.urls.length] as string;
      if (attempt > 0) history.resumes++;
      const stream = new AbortController();
      const onStop = (): void => stream.abort();
      stopper.signal.addEventListener("abort", onStop);
      let idle: NodeJS.Timeout | undefined;
      const armIdle = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => stream.abort(new Error(`silent for ${idleTimeoutMs} ms`)), idleTimeoutMs);
      };
      let progressed = false;
      try {
        armIdle();
        for await (const m of pool.get(url).listen({ afterSeq: cursor, heartbeatMs }, { signal: stream.signal })) {
          armIdle();
          history.messages.push({ url, afterSeq: m.afterSeq, throughSeq: m.throughSeq, entries: m.entries.map((e) => ({ id: e.id, seq: e.seq })) });
          if (m.throughSeq > cursor) (cursor = m.throughSeq), (progressed = true);
          waiters.forEach((w) => w());
        }
        noteError(`${url}: stream ended by the server`);
      } catch (err) {
        if (!stopper.signal.aborted) noteError(`${url}: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        clearTimeout(idle);
        stream.abort();
        stopper.signal.removeEventListener("abort", onStop);
      }
      failuresInARow = progressed ? 0 : failuresInARow + 1;
      const waitMs = backoffMs(failuresInARow, backoffBaseMs, backoffCapMs, random);
      await sleep(waitMs, undefined, { signal: stopper.signal }).catch(() => undefined);
    }
  })();

  return {
    cursor: () => cursor,
    reached: (seq, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`listener cursor ${cursor} did not reach ${seq} within ${timeoutMs} ms; last errors:\n${history.errors.slice(-5).join("\n")}`));
        }, timeoutMs);
        const check = (): void => {
          if (cursor < seq) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      stopper.abort();
      await loop;
      return history;
    },
  };
}
