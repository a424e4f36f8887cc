import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { EntrySchema } from "@synod/proto/entry";
import type { ListenResponse } from "@synod/proto/hub";
import { describe, expect, it } from "vitest";
import type { DropMode, StreamStep } from "./fake-script.js";
import { DroppedError, playScriptedStream, streamLabel, type StreamContext } from "./scripted-stream.js";

/** A context whose waits are recorded instead of slept, and whose silence ends on demand. */
function testContext() {
  const waits: number[] = [];
  const drops: DropMode[] = [];
  const abort = new AbortController();
  const ctx: StreamContext = {
    signal: abort.signal,
    term: 7n,
    sleep: async (ms) => {
      waits.push(ms);
    },
    untilAborted: (signal) => new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true })),
    drop: (mode) => drops.push(mode),
    entry: (id, seq) => create(EntrySchema, { id, seq, type: "task", content: id }),
  };
  return { ctx, waits, drops, abort };
}

async function play(steps: StreamStep[], ctx: StreamContext): Promise<{ messages: ListenResponse[]; error?: unknown }> {
  const messages: ListenResponse[] = [];
  try {
    for await (const m of playScriptedStream(steps, ctx)) messages.push(m);
    return { messages };
  } catch (error) {
    return { messages, error };
  }
}

const range = (m: ListenResponse) => [m.afterSeq, m.throughSeq, m.entries.map((e) => `${e.seq}:${e.id}`)];

describe("playScriptedStream", () => {
  it("sends batches and heartbeats exactly as scripted, gaps included, then ends cleanly", async () => {
    const { ctx, waits } = testContext();
    const out = await play(
      [
        { kind: "batch", after: 0n, through: 2n, entries: [{ id: "x1", seq: 1n }, { id: "x2", seq: 2n }], commit: 5n },
        { kind: "delay", ms: 30 },
        { kind: "heartbeat", through: 2n },
        { kind: "batch", after: 4n, through: 6n, entries: [{ id: "x6", seq: 6n }], commit: 6n },
      ],
      ctx,
    );
    expect(out.error).toBeUndefined();
    expect(out.messages.map(range)).toEqual([
      [0n, 2n, ["1:x1", "2:x2"]],
      [2n, 2n, []],
      [4n, 6n, ["6:x6"]],
    ]);
    expect(out.messages.map((m) => [m.commitSeq, m.term])).toEqual([[5n, 7n], [2n, 7n], [6n, 7n]]);
    expect(waits).toEqual([30]);
  });

  it("ends with the scripted error, details included", async () => {
    const { ctx } = testContext();
    const out = await play(
      [
        { kind: "heartbeat", through: 0n },
        { kind: "end", error: { code: Code.Unavailable, codeName: "unavailable", message: "bye", notLeader: { leaderId: "", leaderUrl: "", term: 3n } } },
      ],
      ctx,
    );
    expect(out.messages).toHaveLength(1);
    expect(out.error).toBeInstanceOf(ConnectError);
    expect((out.error as ConnectError).code).toBe(Code.Unavailable);
    expect((out.error as ConnectError).details).toHaveLength(1);
  });

  it("stays open after silent until the request is aborted", async () => {
    const { ctx, abort } = testContext();
    let finished = false;
    const done = play([{ kind: "heartbeat", through: 0n }, { kind: "silent" }], ctx).then((r) => {
      finished = true;
      return r;
    });
    // Let every pending promise job run: a stream that ended would have settled by now.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    abort.abort();
    expect((await done).messages).toHaveLength(1);
  });

  it("cuts the stream on drop and stops", async () => {
    const { ctx, drops } = testContext();
    const out = await play([{ kind: "drop", mode: "connection" }], ctx);
    expect(drops).toEqual(["connection"]);
    expect(out.error).toBeInstanceOf(DroppedError);
  });
});

describe("streamLabel", () => {
  it("counts batches and heartbeats and names the ending", () => {
    expect(streamLabel([{ kind: "batch", after: 0n, through: 1n, entries: [], commit: 1n }, { kind: "silent" }])).toBe("stream(1 batch, 0 heartbeats, silent)");
    expect(streamLabel([{ kind: "heartbeat", through: 0n }, { kind: "end", error: { code: Code.Unavailable, codeName: "unavailable", message: "" } }])).toBe(
      "stream(0 batches, 1 heartbeat, end:unavailable)",
    );
    expect(streamLabel([])).toBe("stream(0 batches, 0 heartbeats, end)");
  });
});
