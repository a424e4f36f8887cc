/**
 * Concurrent idempotent appenders for fault tests (DESIGN §3 idempotency, §6 errors).
 * Each appender appends one entry at a time with a raw Connect client, follows
 * NotLeader hints, and retries with the SAME entry id until the entry is acknowledged
 * or its deadline passes. The history separates what is known from what is not:
 * acknowledged `{id, seq}`, ids whose outcome is unknown (an attempt may have run), and
 * ids that certainly never ran (every attempt was refused before executing).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Code, ConnectError } from "@connectrpc/connect";
import { WriteConcern } from "@synod/proto/entry";
import { NotLeaderSchema } from "@synod/proto/errors";
import { backoffMs, clientPool, type ClientPool } from "./client-pool.js";

/** One acknowledged append. */
export interface AckedAppend {
  readonly id: string;
  readonly seq: bigint;
  /** True when the server answered that the id was already in its log. */
  readonly duplicate: boolean;
  /** The URL that acknowledged it. */
  readonly url: string;
  readonly attempts: number;
}

/** What the appenders know at the end. */
export interface AppendHistory {
  readonly acked: AckedAppend[];
  /** Ids that hit their deadline after an attempt that may have executed. */
  readonly unknown: string[];
  /** Ids that hit their deadline with every attempt refused before executing. */
  readonly notExecuted: string[];
}

/** Options of {@link startAppenders}. */
export interface AppendersOptions {
  /** Client URLs of the nodes; the appenders start on the first and move on failure. */
  readonly urls: readonly string[];
  readonly token: string;
  /** Concurrent appenders; each has one append in flight at a time. */
  readonly appenders: number;
  /** Prefix of entry ids (`<prefix>-<appender>-<n>`); default `w`. */
  readonly idPrefix?: string;
  /** Per entry, across all its attempts; default 30000 ms. */
  readonly entryDeadlineMs?: number;
  /** Per attempt (a paused node never answers); default 2000 ms. */
  readonly attemptTimeoutMs?: number;
  /** Entries per appender before it stops on its own; default unbounded. */
  readonly entriesPerAppenderMax?: number;
  /** A number in [0, 1) for backoff jitter; default `Math.random`. */
  readonly random?: () => number;
}

/** Running appenders. */
export interface Appenders {
  /** Acknowledged appends so far. */
  ackedCount(): number;
  /** Resolves once at least `n` appends are acknowledged (or every appender has finished). */
  acked(n: number): Promise<void>;
  /** Stops starting new entries, lets in-flight ones finish (ack or deadline), returns the history. */
  stop(): Promise<AppendHistory>;
}

/** Hints followed in a row without backing off; more means nodes disagree, so slow down. */
const redirectsInARowMax = 3;
/** An attempt is not started with less time than this left: it could only time out, and make the outcome unknown. */
const attemptMinMs = 50;
const backoffBaseMs = 25;
const backoffCapMs = 500;

/** Starts the appenders; they run until {@link Appenders.stop}. */
export function startAppenders(opts: AppendersOptions): Appenders {
  if (opts.urls.length === 0) throw new RangeError("startAppenders: no urls");
  const pool = clientPool(opts.token);
  const history: AppendHistory = { acked: [], unknown: [], notExecuted: [] };
  const route = new LeaderRoute(opts.urls);
  let stopping = false;
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((w) => w());
  const loops = Array.from({ length: opts.appenders }, async (_, k) => {
    const max = opts.entriesPerAppenderMax ?? Number.POSITIVE_INFINITY;
    for (let i = 0; !stopping && i < max; i++) {
      const id = `${opts.idPrefix ?? "w"}-${k}-${i}`;
      const outcome = await appendUntilKnown(id, `appender ${k} entry ${i}`, pool, route, opts);
      if ("seq" in outcome) history.acked.push(outcome);
      else (outcome.maybeExecuted ? history.unknown : history.notExecuted).push(id);
      notify();
    }
  });
  let done = false;
  const all = Promise.all(loops).finally(() => ((done = true), notify()));
  all.catch(() => undefined); // handled: stop() rethrows a fatal error

  return {
    ackedCount: () => history.acked.length,
    acked: (n) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (history.acked.length < n && !done) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    stop: async () => {
      stopping = true;
      await all;
      return history;
    },
  };
}

/** The URL appends go to, moved by NotLeader hints (newer terms only) and by failures. */
class LeaderRoute {
  private index = 0;
  private hinted: string | undefined;
  private term = 0n;
  constructor(private readonly urls: readonly string[]) {}

  current(): string {
    return this.hinted ?? (this.urls[this.index % this.urls.length] as string);
  }

  /** Follows a hint if it names a leader in a term at least as new as the last seen; true if it moved. */
  follow(leaderUrl: string, term: bigint, from: string): boolean {
    if (leaderUrl === "" || term < this.term || sameUrl(leaderUrl, from)) return false;
    this.term = term;
    this.hinted = leaderUrl;
    return true;
  }

  /** Moves on after `failed` did not work (a no-op if another appender already moved). */
  next(failed: string): void {
    if (!sameUrl(this.current(), failed)) return;
    this.hinted = undefined;
    this.index++;
  }
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

type Outcome = AckedAppend | { readonly maybeExecuted: boolean };

async function appendUntilKnown(id: string, content: string, pool: ClientPool, route: LeaderRoute, opts: AppendersOptions): Promise<Outcome> {
  const deadline = performance.now() + (opts.entryDeadlineMs ?? 30_000);
  const random = opts.random ?? Math.random;
  let maybeExecuted = false;
  let redirects = 0;
  let failures = 0;
  for (let attempts = 1; ; attempts++) {
    const remainingMs = deadline - performance.now();
    if (remainingMs < attemptMinMs) return { maybeExecuted };
    const url = route.current();
    try {
      const res = await pool.get(url).append(
        { entries: [{ id, type: "task", content }], writeConcern: WriteConcern.MAJORITY },
        { timeoutMs: Math.max(1, Math.min(opts.attemptTimeoutMs ?? 2000, Math.floor(remainingMs))) },
      );
      const r = res.results[0];
      if (!r || r.id !== id) throw new Error(`append ${id} on ${url}: response has no result for the id`);
      return { id, seq: r.seq, duplicate: r.duplicate, url, attempts };
    } catch (err) {
      const ce = ConnectError.from(err);
      if (fatalCodes.has(ce.code)) throw new Error(`append ${id} on ${url} failed for good: ${ce.message}`, { cause: err });
      const hint = ce.code === Code.Unavailable ? ce.findDetails(NotLeaderSchema)[0] : undefined;
      if (!hint && !refusedBeforeRunning(ce)) maybeExecuted = true;
      if (hint && redirects < redirectsInARowMax && route.follow(hint.leaderUrl, hint.term, url)) {
        redirects++;
        continue; // a fresh hint: retry there at once
      }
      redirects = 0;
      route.next(url);
      await sleep(Math.min(backoffMs(failures++, backoffBaseMs, backoffCapMs, random), Math.max(0, deadline - performance.now())));
    }
  }
}

/** Codes that mean the request is wrong, not the cluster: retrying cannot help. */
const fatalCodes = new Set<Code>([Code.InvalidArgument, Code.Unauthenticated, Code.PermissionDenied, Code.FailedPrecondition, Code.AlreadyExists, Code.NotFound, Code.Unimplemented, Code.OutOfRange, Code.DataLoss]);

/** Errors that prove the server did not execute the request (DESIGN §6). */
function refusedBeforeRunning(ce: ConnectError): boolean {
  if (ce.code === Code.ResourceExhausted) return true;
  if (ce.code !== Code.Unavailable) return false;
  for (let c: unknown = ce.cause, depth = 0; typeof c === "object" && c !== null && depth < 8; depth++) {
    if ((c as { code?: unknown }).code === "ECONNREFUSED") return true;
    c = (c as { cause?: unknown }).cause;
  }
  return false;
}
