/**
 * A Listen stream recorded in the background while a case goes on: every message in
 * the order received, and how the stream ended. Steps wait on it by condition
 * (`awaitListen`), never by sleeping.
 */
import type { Client } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HubService, ListenRequestSchema } from "@synod/proto/hub";
import { checkStreamContinuity, type ListenObservation } from "../checkers/check-listener.js";
import { rpcErrorValue, type RpcErrorValue } from "./error-outcome.js";
import { ConditionWaiters } from "../runner/condition-waiters.js";

/** One message as received. */
export interface RecordedMessage extends ListenObservation {
  readonly commitSeq: bigint;
  readonly leaderId: string;
  readonly term: bigint;
}

/** Messages one recorder keeps at most; past it the stream is stopped and reported as overflowed. */
export const recordedMessagesMax = 100_000;

/** A running or finished Listen stream of one node. */
export class ListenRecorder {
  /**
   * Every message of this stream in the order received (not those of the recorder it
   * resumes: see {@link chain}); at most {@link recordedMessagesMax}, after which the
   * stream is stopped and the summary says `overflowed`.
   */
  readonly messages: RecordedMessage[] = [];
  #ended = false;
  #endError: RpcErrorValue | undefined;
  #stoppedByCase = false;
  #overflowed = false;
  readonly #abort = new AbortController();
  readonly #waiters = new ConditionWaiters();
  #done: Promise<void> = Promise.resolve();

  /**
   * @param name the step's `as`
   * @param node the node id it listens on
   * @param startAfterSeq the request's `after_seq`
   * @param unfiltered false when the request has type or origin filters
   * @param resumes the recorder this one continues (`resumeFrom`), whose messages precede these
   */
  constructor(
    readonly name: string,
    readonly node: string,
    readonly startAfterSeq: bigint,
    readonly unfiltered: boolean,
    readonly resumes?: ListenRecorder,
  ) {}

  /** Opens the stream and records it until it ends, {@link stop} is called or `caseSignal` aborts. */
  start(client: Client<typeof HubService>, request: MessageInitShape<typeof ListenRequestSchema>, caseSignal: AbortSignal): void {
    const signal = AbortSignal.any([this.#abort.signal, caseSignal]);
    this.#done = (async () => {
      try {
        for await (const m of client.listen(request, { signal })) {
          this.messages.push({
            afterSeq: m.afterSeq, throughSeq: m.throughSeq, commitSeq: m.commitSeq, leaderId: m.leaderId, term: m.term,
            entries: m.entries.map((e) => ({ seq: e.seq, id: e.id })),
          });
          if (this.messages.length >= recordedMessagesMax) {
            this.#overflowed = true;
            this.#abort.abort();
          }
          this.#notify();
        }
      } catch (err) {
        if (!signal.aborted) this.#endError = rpcErrorValue(err);
      } finally {
        this.#stoppedByCase = signal.aborted;
        this.#ended = true;
        this.#notify();
      }
    })();
  }

  /** True once the stream is over (ended by the server, by an error, or stopped). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The error the stream ended with, unless the case stopped it. */
  get endError(): RpcErrorValue | undefined {
    return this.#endError;
  }

  /** The cursor a resuming client would use: the last `through_seq` (or the start). */
  get throughSeq(): bigint {
    return this.messages.reduce((m, x) => (x.throughSeq > m ? x.throughSeq : m), this.startAfterSeq);
  }

  /** Every message of the chain this recorder ends (`resumeFrom` predecessors first). */
  chain(): RecordedMessage[] {
    return [...(this.resumes?.chain() ?? []), ...this.messages];
  }

  /** The cursor the first recorder of the chain started from. */
  chainStart(): bigint {
    return this.resumes?.chainStart() ?? this.startAfterSeq;
  }

  /**
   * Resolves true once `condition` holds (checked now and after every message and at
   * the end), false after `timeoutMs` or when `signal` aborts.
   */
  waitFor(condition: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return this.#waiters.waitFor(condition, timeoutMs, signal);
  }

  /** Stops the stream (if it still runs) and resolves once it is over. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#done;
  }

  /** What `awaitListen` and `stopListen` report (bigints as decimal strings is the caller's job). */
  summary(): Record<string, unknown> {
    const entries = this.messages.flatMap((m) => m.entries);
    const violations = checkStreamContinuity(this.chain(), { startAfterSeq: this.chainStart(), unfiltered: this.unfiltered });
    const last = this.messages.at(-1);
    return {
      node: this.node,
      startAfterSeq: this.startAfterSeq,
      messages: this.messages.length,
      heartbeats: this.messages.filter((m) => m.afterSeq === m.throughSeq && m.entries.length === 0).length,
      entries: entries.map((e) => ({ seq: e.seq, id: e.id })),
      ids: entries.map((e) => e.id),
      seqs: entries.map((e) => e.seq),
      ranges: this.messages.map((m) => ({ afterSeq: m.afterSeq, throughSeq: m.throughSeq, entries: m.entries.length })),
      throughSeq: this.throughSeq,
      ...(last ? { last: { afterSeq: last.afterSeq, throughSeq: last.throughSeq, commitSeq: last.commitSeq, leaderId: last.leaderId, term: last.term } } : {}),
      ended: this.#ended,
      stoppedByCase: this.#stoppedByCase,
      overflowed: this.#overflowed,
      ...(this.#endError ? { endError: this.#endError } : {}),
      violations,
      gapFree: violations.length === 0,
    };
  }

  #notify(): void {
    this.#waiters.notify();
  }
}
