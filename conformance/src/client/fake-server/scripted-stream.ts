/**
 * Plays a scripted Listen stream: each step becomes a ListenResponse, a wait, or the
 * stream's end (clean, with an error, silent, or cut). Messages are sent exactly as
 * scripted, gaps and overlaps included: checking them is the client's job.
 */
import { create } from "@bufbuild/protobuf";
import type { Entry } from "@synod/proto/entry";
import { ListenResponseSchema, type ListenResponse } from "@synod/proto/hub";
import type { DropMode, StreamStep } from "./fake-script.js";
import { scriptedError } from "./scripted-error.js";

/** What a stream needs from its server. */
export interface StreamContext {
  /** Aborts when the client cancels or the fake servers close. */
  readonly signal: AbortSignal;
  /** The term stated on every message. */
  readonly term: bigint;
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Resolves when `signal` aborts. */
  untilAborted(signal: AbortSignal): Promise<void>;
  /** Cuts this request's stream or connection. */
  drop(mode: DropMode): void;
  /** The entry a message carries for a scripted id and seq. */
  entry(id: string, seq: bigint): Entry;
}

/** Thrown (after cutting the stream) so the handler ends without an answer. */
export class DroppedError extends Error {}

/**
 * The messages of a scripted stream, in order. Ends normally after an `end` step
 * without an error or after the last step; throws the scripted error of an `end`
 * step; never ends on its own after `silent`.
 * @throws ConnectError for `end` with an error; DroppedError after a `drop`.
 */
export async function* playScriptedStream(steps: readonly StreamStep[], ctx: StreamContext): AsyncGenerator<ListenResponse> {
  for (const step of steps) {
    switch (step.kind) {
      case "batch":
        yield create(ListenResponseSchema, {
          afterSeq: step.after,
          throughSeq: step.through,
          entries: step.entries.map((e) => ctx.entry(e.id, e.seq)),
          commitSeq: step.commit,
          term: ctx.term,
        });
        break;
      case "heartbeat":
        yield create(ListenResponseSchema, { afterSeq: step.through, throughSeq: step.through, commitSeq: step.through, term: ctx.term });
        break;
      case "delay":
        await ctx.sleep(step.ms, ctx.signal);
        break;
      case "end":
        if (step.error !== undefined) throw scriptedError(step.error);
        return;
      case "silent":
        await ctx.untilAborted(ctx.signal);
        return;
      case "drop":
        ctx.drop(step.mode);
        throw new DroppedError(`stream ${step.mode} dropped by the script`);
    }
  }
}

/** A short label for records: `stream(2 batches, 1 heartbeat, end:unavailable)`. */
export function streamLabel(steps: readonly StreamStep[]): string {
  const batches = steps.filter((s) => s.kind === "batch").length;
  const beats = steps.filter((s) => s.kind === "heartbeat").length;
  const last = steps.at(-1);
  const ending =
    last?.kind === "end" ? (last.error ? `end:${last.error.codeName}` : "end") : last?.kind === "silent" ? "silent" : last?.kind === "drop" ? "drop" : "end";
  return `stream(${batches} batch${batches === 1 ? "" : "es"}, ${beats} heartbeat${beats === 1 ? "" : "s"}, ${ending})`;
}
