import { asSeq, type Seq } from "./seq.js";
import { invariantError } from "./synod-error.js";

/** The parts of a listen message the cursor rules look at. */
export interface CoveredRange {
  /** Exclusive start of the range the message covers. */
  readonly afterSeq: bigint;
  /** Inclusive end of the range. */
  readonly throughSeq: bigint;
  /** Seqs of the entries carried, in the order received. */
  readonly entrySeqs: readonly bigint[];
}

/** What to do with a message: hand it to the application, or drop it as already seen. */
export type CursorVerdict = "deliver" | "duplicate";

/**
 * The listener's cursor (DESIGN §3, §6, §9 invariant 7). Every message covers
 * `(afterSeq, throughSeq]`; the cursor accepts only the message that starts
 * exactly where it stands, drops one that lies wholly at or below it (a replay
 * after a reconnect), and treats anything else — a gap, a backwards jump, a
 * range that overlaps the cursor, entries outside their range or out of
 * order — as a broken server promise.
 */
export class ListenCursor {
  #seq: Seq;

  /** @param afterSeq the exclusive starting point (0 for the whole log). */
  constructor(afterSeq: bigint) {
    this.#seq = asSeq(afterSeq);
  }

  /** The last seq covered: resume with `afterSeq` equal to this. */
  get seq(): Seq {
    return this.#seq;
  }

  /**
   * Checks a message and advances the cursor when it is delivered.
   * @throws SynodError of kind `invariant` when the message breaks the rules.
   */
  accept(message: CoveredRange, peer?: string): CursorVerdict {
    const { afterSeq, throughSeq } = message;
    if (throughSeq < afterSeq) {
      throw invariantError(`listen message covers (${afterSeq}, ${throughSeq}]: through is before after`, peer);
    }
    checkEntries(message, peer);
    if (afterSeq === this.#seq) {
      this.#seq = asSeq(throughSeq);
      return "deliver";
    }
    if (throughSeq <= this.#seq && afterSeq < this.#seq) return "duplicate";
    if (afterSeq > this.#seq) {
      throw invariantError(`gap in listen stream: cursor at ${this.#seq}, message starts after ${afterSeq}`, peer);
    }
    throw invariantError(
      `listen stream jumped backwards: cursor at ${this.#seq}, message covers (${afterSeq}, ${throughSeq}]`,
      peer,
    );
  }
}

function checkEntries(message: CoveredRange, peer?: string): void {
  let previous = message.afterSeq;
  for (const seq of message.entrySeqs) {
    if (seq <= previous || seq > message.throughSeq) {
      throw invariantError(
        `listen entry seq ${seq} is out of order or outside (${message.afterSeq}, ${message.throughSeq}]`,
        peer,
      );
    }
    previous = seq;
  }
}

/** Default number of heartbeat periods without any message before a stream counts as silent. */
export const DEFAULT_SILENCE_FACTOR = 3;

/**
 * How long a listen stream may stay quiet before the client gives up on it
 * (DESIGN §7 "detects a silent server by missed heartbeats").
 * @param heartbeatMs the heartbeat period asked of the server.
 * @param factor how many periods to tolerate; at least 2 so one late beat is not fatal.
 */
export function silenceLimitMs(heartbeatMs: number, factor: number = DEFAULT_SILENCE_FACTOR): number {
  return Math.max(2, factor) * Math.max(1, heartbeatMs);
}
