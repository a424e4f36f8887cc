import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { NotLeaderSchema } from "@synod/proto/errors";
import { ListenResponseSchema, type HubService, type ListenResponse } from "@synod/proto/hub";
import { describe, expect, it } from "vitest";
import { ListenRecorder } from "./listen-recorder.js";

/** A Listen stream under the test's control: push messages, then end it (optionally with an error). */
function scriptedStream() {
  const queue: ListenResponse[] = [];
  let wake: (() => void) | undefined;
  let end: { error?: unknown } | undefined;
  const client = {
    async *listen(_req: unknown, opts: { signal: AbortSignal }) {
      for (;;) {
        const m = queue.shift();
        if (m) {
          yield m;
          continue;
        }
        if (end) {
          if (end.error) throw end.error;
          return;
        }
        if (opts.signal.aborted) throw new ConnectError("aborted", Code.Canceled);
        await new Promise<void>((r) => {
          wake = r;
          opts.signal.addEventListener("abort", () => r(), { once: true });
        });
      }
    },
  } as unknown as Client<typeof HubService>;
  const poke = () => wake?.();
  return {
    client,
    push: (after: number, through: number, ...ids: [number, string][]) => {
      queue.push(create(ListenResponseSchema, { afterSeq: BigInt(after), throughSeq: BigInt(through), entries: ids.map(([seq, id]) => ({ seq: BigInt(seq), id })), commitSeq: BigInt(through), leaderId: "n1", term: 2n }));
      poke();
    },
    end: (error?: unknown) => {
      end = error === undefined ? {} : { error };
      poke();
    },
  };
}

const never = new AbortController().signal;

describe("ListenRecorder", () => {
  it("records messages, wakes waiters on progress, and summarizes with a continuity check", async () => {
    const s = scriptedStream();
    const r = new ListenRecorder("a", "n2", 0n, true);
    r.start(s.client, {}, never);
    const reached = r.waitFor(() => r.throughSeq >= 3n, 60_000, never);
    s.push(0, 2, [1, "x"], [2, "y"]);
    s.push(2, 2);
    s.push(2, 3, [3, "z"]);
    expect(await reached).toBe(true);
    expect(r.summary()).toMatchObject({ messages: 3, heartbeats: 1, ids: ["x", "y", "z"], throughSeq: 3n, ended: false, gapFree: true, violations: [] });
    await r.stop();
    expect(r.summary()).toMatchObject({ ended: true, stoppedByCase: true });
    expect(r.endError).toBeUndefined();
  });

  it("keeps the error a stream ended with, decoded", async () => {
    const s = scriptedStream();
    const r = new ListenRecorder("a", "n2", 0n, true);
    r.start(s.client, {}, never);
    const ended = r.waitFor(() => r.ended, 60_000, never);
    s.end(new ConnectError("no leader", Code.Unavailable, undefined, [{ desc: NotLeaderSchema, value: { term: 4n } }]));
    expect(await ended).toBe(true);
    expect(r.endError).toEqual({ code: "unavailable", message: "no leader", notLeader: { leaderId: "", leaderUrl: "", term: "4" } });
    expect(r.summary()).toMatchObject({ ended: true, stoppedByCase: false });
  });

  it("checks a resumed listener together with the one it resumes", async () => {
    const s1 = scriptedStream();
    const first = new ListenRecorder("a", "n1", 0n, true);
    first.start(s1.client, {}, never);
    s1.push(0, 2, [1, "x"], [2, "y"]);
    s1.end(new ConnectError("gone", Code.Unavailable));
    await first.waitFor(() => first.ended, 60_000, never);
    const s2 = scriptedStream();
    const second = new ListenRecorder("b", "n2", first.throughSeq, true, first);
    second.start(s2.client, {}, never);
    s2.push(3, 4, [4, "w"]);
    await second.waitFor(() => second.throughSeq >= 4n, 60_000, never);
    expect(second.summary()).toMatchObject({ startAfterSeq: 2n, gapFree: false });
    expect(second.summary().violations).toEqual(["message 2 (3, 4]: starts after 2, so seqs 3..3 were skipped"]);
    await second.stop();
  });
});
