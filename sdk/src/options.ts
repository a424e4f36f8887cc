import type { Transport } from "@connectrpc/connect";
import { DEFAULT_BACKOFF, type BackoffOptions } from "./core/backoff.js";
import type { Clock, Random } from "./core/clock.js";
import { DEFAULT_RETRY_BUDGET, type RetryBudgetOptions } from "./core/retry-budget.js";
import { DEFAULT_SILENCE_FACTOR } from "./core/listen-cursor.js";
import { normalizePeerList } from "./core/peer-url.js";
import { systemClock, systemRandom, systemScheduler, type Scheduler } from "./runtime.js";

/**
 * Maps a peer's base URL (`http://host:9900`) to a Connect transport. The Node
 * and web entry points supply one; the test kit's fake cluster supplies one
 * transport per fake node.
 */
export type TransportFactory = (baseUrl: string) => Transport;

/** Options of the core `createClient` (the Node and web entry points add transport options). */
export interface ClientOptions {
  /** Seed peers: `host:port` or `http(s)://` URLs, as an array or a comma-separated string. */
  readonly peers: readonly string[] | string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** Builds the transport for one peer. */
  readonly transport: TransportFactory;
  /** Default deadline of a call, all attempts included, in ms. Default 30000. */
  readonly timeoutMs?: number;
  /**
   * Longest wait for the answer to one attempt, in ms; a positive integer.
   * Default 10000. Each attempt gets the smaller of this and what is left of the
   * call's deadline, so a value above `timeoutMs` simply never applies. An
   * attempt that times out counts as outcome unknown: appends are retried
   * (preferring another node) with the same ids, other writes fail with
   * `outcomeUnknown`. Listen streams are not affected (they detect a silent
   * node by missed heartbeats).
   */
  readonly attemptTimeoutMs?: number;
  /** NotLeader hints followed at once per call. Default 3. */
  readonly maxRedirects?: number;
  /** Backoff between attempts. Default `{ baseMs: 25, capMs: 2000 }`. */
  readonly backoff?: Partial<BackoffOptions>;
  /** Retry budget shared by all calls, or `false` to disable it. Default `{ maxTokens: 100, refillPerSecond: 10, creditPerSuccess: 0.1 }`. */
  readonly retryBudget?: Partial<RetryBudgetOptions> | false;
  /** Default listen heartbeat period in ms. Default 5000. */
  readonly heartbeatMs?: number;
  /** A listen stream silent for this many heartbeat periods is reconnected. Default 3. */
  readonly silenceFactor?: number;
  /** Period of the background peer refresh in ms; 0 disables the timer (errors still refresh). Default 30000. */
  readonly refreshPeersMs?: number;
  /** Deadline of one peer refresh in ms. Default 2000. */
  readonly refreshTimeoutMs?: number;
  /** Injected time source (tests). */
  readonly clock?: Clock;
  /** Injected randomness for jitter (tests). */
  readonly random?: Random;
  /** Injected sleeps and timers (tests). */
  readonly scheduler?: Scheduler;
  /** Makes entry ids; default UUIDv7 from the wall clock and `crypto.getRandomValues`. */
  readonly newId?: () => string;
  /** Called by `close()`, after background work stops; entry points use it to release connections. */
  readonly onClose?: () => void;
}

/** {@link ClientOptions} with every default applied. */
export interface ResolvedOptions {
  readonly seeds: readonly string[];
  readonly token: string | undefined;
  readonly transport: TransportFactory;
  readonly timeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly maxRedirects: number;
  readonly backoff: BackoffOptions;
  readonly retryBudget: RetryBudgetOptions | undefined;
  readonly heartbeatMs: number;
  readonly silenceFactor: number;
  readonly refreshPeersMs: number;
  readonly refreshTimeoutMs: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly scheduler: Scheduler;
  readonly newId: (() => string) | undefined;
  readonly onClose: (() => void) | undefined;
}

/**
 * Applies defaults and validates options.
 * @throws TypeError for an empty or malformed peer list, a missing transport or
 *   an `attemptTimeoutMs` that is not a positive integer.
 */
export function resolveOptions(options: ClientOptions): ResolvedOptions {
  const peers = typeof options.peers === "string" ? options.peers.split(",") : options.peers;
  if (typeof options.transport !== "function") throw new TypeError("a transport factory is required");
  return {
    seeds: normalizePeerList(peers.filter((p) => p.trim() !== "")),
    token: options.token,
    transport: options.transport,
    timeoutMs: options.timeoutMs ?? 30_000,
    attemptTimeoutMs: positiveInteger("attemptTimeoutMs", options.attemptTimeoutMs, 10_000),
    maxRedirects: options.maxRedirects ?? 3,
    backoff: { ...DEFAULT_BACKOFF, ...options.backoff },
    retryBudget: options.retryBudget === false ? undefined : { ...DEFAULT_RETRY_BUDGET, ...options.retryBudget },
    heartbeatMs: options.heartbeatMs ?? 5_000,
    silenceFactor: options.silenceFactor ?? DEFAULT_SILENCE_FACTOR,
    refreshPeersMs: options.refreshPeersMs ?? 30_000,
    refreshTimeoutMs: options.refreshTimeoutMs ?? 2_000,
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    scheduler: options.scheduler ?? systemScheduler,
    newId: options.newId,
    onClose: options.onClose,
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer of milliseconds, got ${String(value)}`);
  }
  return value;
}
