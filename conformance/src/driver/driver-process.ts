/**
 * The runner's side of the client driver contract (driver-contract.ts): one driver
 * process per case, on top of {@link JsonLinesProcess}. It sends requests, turns
 * replies into outcomes, and collects the driver's events and listener messages so
 * operations can inspect them and wait on them without polling.
 */
import type { Outcome } from "../case-format/case-types.js";
import { JsonLinesProcess } from "../process/json-lines-process.js";
import { driverContractVersion, type ClientErrorJson, type DriverBatch, type DriverOp, type HelloOk } from "./driver-contract.js";
import { ConditionWaiters } from "../runner/condition-waiters.js";

/** A driver call's outcome with how long the call took, ms (see {@link DriverProcess.call}). */
export type TimedOutcome = Outcome & { readonly elapsedMs: number };

/** An event the driver reported. */
export interface RecordedEvent {
  readonly name: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Milliseconds after `connect`, as the driver measured. */
  readonly atMs: number;
}

/** Everything one listener delivered so far. */
export interface ListenerRecord {
  readonly name: string;
  /** The cursor the listener was started after. */
  readonly startAfterSeq: bigint;
  readonly batches: DriverBatch[];
  ended: boolean;
  /** The error the listener ended with, if any. */
  endError?: ClientErrorJson;
  /** A driver fault the listener ended with, if any. */
  endFault?: string;
}

/** Options of {@link DriverProcess.start}. */
export interface DriverProcessOptions {
  readonly command: string;
  readonly cwd: string;
  /** Receives the driver's stderr lines. */
  readonly onStderr?: (line: string) => void;
  /** How long `hello` may take (the driver may compile on start), ms. Default 60000. */
  readonly helloTimeoutMs?: number;
}

/** Thrown when the driver answers with a fault or breaks the contract: a harness error, not an outcome. */
export class DriverContractError extends Error {}

/**
 * Most events and most batches per listener kept for one case. A driver that writes
 * more is broken (or the case is far too long): the excess is dropped and recorded
 * as a contract violation, which fails `checkClientHistory`.
 */
export const recordedMessagesMax = 200_000;

/** Contract violations spelled out per case. */
const violationsMax = 100;

/** A running driver. */
export class DriverProcess {
  readonly #events: RecordedEvent[] = [];
  readonly #listeners = new Map<string, ListenerRecord>();
  readonly #waiters = new ConditionWaiters();
  readonly #violations: string[] = [];
  #proc!: JsonLinesProcess;
  #hello: HelloOk | undefined;

  private constructor() {}

  /**
   * Spawns the driver and checks it speaks this contract.
   * @throws Error when `hello` fails, times out or names another contract version.
   */
  static async start(opts: DriverProcessOptions): Promise<DriverProcess> {
    const driver = new DriverProcess();
    driver.#proc = JsonLinesProcess.start({
      command: opts.command,
      cwd: opts.cwd,
      onMessage: (m) => driver.#onMessage(m),
      ...(opts.onStderr ? { onStderr: opts.onStderr } : {}),
    });
    try {
      const hello = (await driver.#request({ op: "hello" }, opts.helloTimeoutMs ?? 60_000)) as HelloOk;
      if (hello?.contract !== driverContractVersion) throw new DriverContractError(`the driver speaks contract ${String(hello?.contract)}, the runner speaks ${driverContractVersion}`);
      driver.#hello = hello;
      return driver;
    } catch (err) {
      await driver.#proc.close(1_000);
      throw new Error(`client driver \`${opts.command}\` did not start: ${err instanceof Error ? err.message : String(err)}\n${driver.stderrTail()}`, { cause: err });
    }
  }

  /** What the driver said it is. */
  get implementation(): string {
    return this.#hello?.implementation ?? "";
  }

  /**
   * Sends a request and returns its outcome: `{ok}` or `{error: ClientErrorJson}`,
   * with `elapsedMs`: the time from writing the request to reading its reply, on the
   * runner's monotonic clock. It excludes the scheduling of the case's steps, so a
   * case can bound how long a call took without timing the steps around it.
   * @throws DriverContractError on a fault; Error when the driver dies or `timeoutMs` passes.
   */
  async call(op: Exclude<DriverOp, "hello" | "close">, body: Readonly<Record<string, unknown>>, timeoutMs: number): Promise<TimedOutcome> {
    const sentAt = performance.now();
    const reply = await this.#proc.request({ ...body, op }, timeoutMs);
    const elapsedMs = Math.round(performance.now() - sentAt);
    if ("ok" in reply) return { ok: reply.ok, elapsedMs };
    const error = reply.error as Record<string, unknown> | undefined;
    if (error && typeof error.fault === "string") throw new DriverContractError(`driver fault on ${op}: ${error.fault}\n${this.stderrTail(20)}`);
    if (!error || typeof error.kind !== "string" || typeof error.failure !== "string") {
      throw new DriverContractError(`driver replied to ${op} with an error that is neither a client error nor a fault: ${JSON.stringify(reply.error)}`);
    }
    return { error, elapsedMs };
  }

  /** Creates a listener record before the `listen` request, so no early batch is lost. */
  expectListener(name: string, startAfterSeq: bigint): ListenerRecord {
    if (this.#listeners.has(name)) throw new Error(`listener ${name} already exists in this case`);
    const record: ListenerRecord = { name, startAfterSeq, batches: [], ended: false };
    this.#listeners.set(name, record);
    return record;
  }

  /** A listener's record. @throws Error naming the known listeners when there is none. */
  listener(name: string): ListenerRecord {
    const r = this.#listeners.get(name);
    if (!r) throw new Error(`no listener ${name} (listeners: ${[...this.#listeners.keys()].join(", ") || "none"})`);
    return r;
  }

  /** Every listener, in start order. */
  listeners(): ListenerRecord[] {
    return [...this.#listeners.values()];
  }

  /** Every event so far, oldest first. */
  events(): readonly RecordedEvent[] {
    return this.#events;
  }

  /** Messages that broke the contract (batches for no listener, malformed lines), for the history check. */
  violations(): readonly string[] {
    return this.#violations;
  }

  /**
   * Resolves true once `condition()` holds, re-checked after every message from the
   * driver; false after `timeoutMs` or when `signal` aborts.
   */
  waitFor(condition: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return this.#waiters.waitFor(condition, timeoutMs, signal);
  }

  /** The driver's last stderr lines. */
  stderrTail(lines = 40): string {
    return this.#proc.stderrTail(lines);
  }

  /** Sends `close`, waits up to `graceMs` for the reply and the exit, then kills the process group. */
  async close(graceMs = 5_000): Promise<void> {
    await this.#proc.request({ op: "close" }, graceMs).catch(() => undefined);
    await this.#proc.close(graceMs);
  }

  async #request(body: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const reply = await this.#proc.request(body, timeoutMs);
    if ("error" in reply) throw new DriverContractError(`driver refused ${String(body.op)}: ${JSON.stringify(reply.error)}`);
    return reply.ok;
  }

  #onMessage(m: Record<string, unknown>): void {
    if (typeof m.event === "string") {
      if (this.#events.length >= recordedMessagesMax) return this.#overflow("events");
      const data = m.data !== null && typeof m.data === "object" ? (m.data as Record<string, unknown>) : {};
      this.#events.push({ name: m.event, data, atMs: typeof m.atMs === "number" ? m.atMs : Number.NaN });
    } else if (typeof m.listener === "string") {
      this.#onListenerMessage(m.listener, m);
    } else {
      this.#violation(`driver wrote a message that is neither a reply, an event nor a listener message: ${JSON.stringify(m).slice(0, 200)}`);
    }
    this.#waiters.notify();
  }

  #overflow(what: string): void {
    const message = `the driver wrote more than ${recordedMessagesMax} ${what}; the rest were dropped`;
    if (!this.#violations.includes(message)) this.#violation(message);
  }

  /** Records a contract violation; past {@link violationsMax} only their number is kept. */
  #violation(message: string): void {
    if (this.#violations.length < violationsMax) this.#violations.push(message);
    else if (this.#violations.length === violationsMax) this.#violations.push("… and more contract violations");
  }

  #onListenerMessage(name: string, m: Record<string, unknown>): void {
    const record = this.#listeners.get(name);
    if (!record) {
      this.#violation(`driver wrote a message for listener ${name}, which was never started`);
      return;
    }
    if (record.ended) this.#violation(`listener ${name} wrote a message after its end: ${JSON.stringify(m).slice(0, 200)}`);
    if (m.batch !== undefined) {
      if (record.batches.length >= recordedMessagesMax) return this.#overflow(`batches of listener ${name}`);
      const batch = parseBatch(m.batch);
      if (typeof batch === "string") this.#violation(`listener ${name}: ${batch}`);
      else record.batches.push(batch);
    } else if (m.end !== null && typeof m.end === "object") {
      const end = m.end as { error?: ClientErrorJson; fault?: string };
      record.ended = true;
      if (end.error !== undefined) record.endError = end.error;
      if (end.fault !== undefined) record.endFault = end.fault;
    } else {
      this.#violation(`listener ${name}: a message with neither batch nor end: ${JSON.stringify(m).slice(0, 200)}`);
    }
  }
}

const decimal = /^\d+$/;

/** A batch checked for shape, or why it is malformed. */
function parseBatch(value: unknown): DriverBatch | string {
  const b = value as Partial<DriverBatch> | null;
  if (b === null || typeof b !== "object") return "a batch that is not an object";
  if (typeof b.afterSeq !== "string" || !decimal.test(b.afterSeq) || typeof b.throughSeq !== "string" || !decimal.test(b.throughSeq)) {
    return `a batch whose afterSeq/throughSeq are not decimal strings: ${JSON.stringify(b).slice(0, 200)}`;
  }
  if (!Array.isArray(b.entries) || !b.entries.every((e) => typeof e?.seq === "string" && decimal.test(e.seq) && typeof e.id === "string")) {
    return `a batch whose entries are not [{seq, id}] with decimal seqs: ${JSON.stringify(b).slice(0, 200)}`;
  }
  return { afterSeq: b.afterSeq, throughSeq: b.throughSeq, entries: b.entries.map((e) => ({ seq: e.seq, id: e.id })) };
}
