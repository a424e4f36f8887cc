/**
 * Test-only fail points (docs/protocol.md, "ControlService"): named places in
 * the request path where the conformance suite makes the server misbehave on
 * purpose — fail, go silent, slow down or die. A hub started without
 * `--enable-test-control` uses {@link noFailPoints}, whose `hit` returns
 * `undefined` without looking anything up.
 */
import { setTimeout as sleepMs } from "node:timers/promises";
import { HubError, invalidArgument } from "../hub-error.js";
import type { Logger } from "../logger.js";

/** Every fail point the server has, in the order ListFailPoints reports them. */
export const failPointNames = ["append.before-propose", "append.after-commit", "listen.before-send", "read.before-reply"] as const;

/** The name of a fail point. */
export type FailPointName = (typeof failPointNames)[number];

/** What an armed fail point does when hit (`off` clears it and is never stored). */
export const failPointActions = ["error", "drop", "delay", "crash"] as const;

/** One of {@link failPointActions}. */
export type FailPointAction = (typeof failPointActions)[number];

/** The longest delay a `delay` fail point may be armed with, in ms (ten minutes). */
export const failPointDelayMsMax = 600_000;

/** A SetFailPoint request as it arrives: not yet validated. */
export interface FailPointSetting {
  readonly name: string;
  /** `off`, `error`, `drop`, `delay` or `crash`. */
  readonly action: string;
  /** Firings before the point clears itself; 0 means until cleared. */
  readonly count: number;
  /** For `delay`: how long each firing waits, 1..{@link failPointDelayMsMax} ms. */
  readonly delayMs: number;
}

/** An armed fail point; `count` is the number of firings left (0 = until cleared). */
export interface ArmedFailPoint {
  readonly name: FailPointName;
  readonly action: FailPointAction;
  readonly count: number;
  readonly delayMs: number;
}

/** What the request path calls at each fail point. */
export interface FailPointHook {
  /**
   * Performs the action of `name` if it is armed, else returns `undefined` at
   * once. `signal` is the request's: a `drop` waits for it, a `delay` ends
   * early on it. Rejects with a {@link HubError} (`unavailable`, no NotLeader
   * detail) for `error`, after a `drop`, and when a `delay` is cut short.
   */
  hit(name: FailPointName, signal: AbortSignal): Promise<void> | undefined;
}

/** The hook of a hub without test control: nothing is ever armed. */
export const noFailPoints: FailPointHook = { hit: () => undefined };

/** How the registry waits and dies; injected so unit tests use neither timers nor signals. */
export interface FailPointEffects {
  /** Resolves after `ms`; rejects if `signal` aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Ends the process at once, as a power cut would. */
  crash(): void;
}

/** Real effects: a timer, and SIGKILL to this process (no exit handlers, no flush). */
export const processEffects: FailPointEffects = {
  sleep: (ms, signal) => sleepMs(ms, undefined, { signal }),
  crash: () => process.kill(process.pid, "SIGKILL"),
};

interface Armed {
  action: FailPointAction;
  remaining: number;
  delayMs: number;
}

/** The fail points of one test-control hub. Not shared between hubs. */
export class FailPoints implements FailPointHook {
  readonly #armed = new Map<FailPointName, Armed>();

  constructor(
    private readonly logger: Logger,
    private readonly effects: FailPointEffects = processEffects,
  ) {}

  /**
   * Arms (or with `off`, clears) a fail point, replacing what it had.
   * Throws an `invalidArgument` {@link HubError} for an unknown name or action,
   * or a `delay` outside 1..{@link failPointDelayMsMax} ms.
   */
  set(s: FailPointSetting): void {
    const name = failPointNames.find((n) => n === s.name);
    if (name === undefined) {
      throw invalidArgument([{ field: "fail_point.name", description: `unknown fail point "${s.name}"; known: ${failPointNames.join(", ")}` }]);
    }
    if (s.action === "off") {
      this.#armed.delete(name);
      return;
    }
    const action = failPointActions.find((a) => a === s.action);
    if (action === undefined) {
      throw invalidArgument([{ field: "fail_point.action", description: `unknown action "${s.action}"; known: off, ${failPointActions.join(", ")}` }]);
    }
    if (action === "delay" && !(Number.isInteger(s.delayMs) && s.delayMs >= 1 && s.delayMs <= failPointDelayMsMax)) {
      throw invalidArgument([{ field: "fail_point.delay_ms", description: `must be 1..${failPointDelayMsMax} for action delay` }]);
    }
    if (!Number.isInteger(s.count) || s.count < 0) throw invalidArgument([{ field: "fail_point.count", description: "must be 0 or more" }]);
    this.#armed.set(name, { action, remaining: s.count, delayMs: action === "delay" ? s.delayMs : 0 });
  }

  /** The armed fail points, in {@link failPointNames} order. */
  list(): ArmedFailPoint[] {
    const out: ArmedFailPoint[] = [];
    for (const name of failPointNames) {
      const a = this.#armed.get(name);
      if (a) out.push({ name, action: a.action, count: a.remaining, delayMs: a.delayMs });
    }
    return out;
  }

  hit(name: FailPointName, signal: AbortSignal): Promise<void> | undefined {
    const a = this.#armed.get(name);
    if (a === undefined) return undefined;
    // Counted when it fires, not when its effect ends: two concurrent hits of a count-1 point fire once.
    if (a.remaining > 0 && --a.remaining === 0) this.#armed.delete(name);
    this.logger.warn("fail point fired", { name, action: a.action, ...(a.action === "delay" ? { delayMs: a.delayMs } : {}) });
    return this.#fire(name, a.action, a.delayMs, signal);
  }

  async #fire(name: FailPointName, action: FailPointAction, delayMs: number, signal: AbortSignal): Promise<void> {
    switch (action) {
      case "error":
        throw failed(name, "");
      case "delay":
        try {
          await this.effects.sleep(delayMs, signal);
        } catch {
          throw failed(name, ": the request ended during the delay");
        }
        return;
      case "drop":
        await aborted(signal);
        throw failed(name, ": the reply was dropped");
      case "crash":
        this.effects.crash();
        // Reached only when the crash effect is a test double.
        throw failed(name, ": crash did not end the process");
    }
  }
}

/** The error a fail point raises: `unavailable` without a NotLeader detail, so a client cannot mistake it for a redirect. */
function failed(name: FailPointName, why: string): HubError {
  return new HubError({ kind: "unavailable" }, `fail point ${name}${why}`);
}

/** Resolves once `signal` has aborted (at once if it already has). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
