import { describe, expect, it } from "vitest";
import type { ClientUnderTest, ConnectedClient, EventSink } from "./client-under-test.js";
import type { ClientErrorJson, DriverBatch } from "./driver-contract.js";
import { runDriverLoop, type DriverChannel } from "./driver-loop.js";

/** Request lines fed by the test; output lines collected, with a way to wait for one. */
class TestChannel implements DriverChannel {
  readonly out: Record<string, unknown>[] = [];
  readonly logged: string[] = [];
  readonly #queue: string[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #outWaiters: (() => void)[] = [];

  readonly lines: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      next: async (): Promise<IteratorResult<string>> => {
        while (this.#queue.length === 0 && !this.#ended) await new Promise<void>((r) => (this.#wake = r));
        const value = this.#queue.shift();
        return value === undefined ? { done: true, value: undefined } : { done: false, value };
      },
    }),
  };

  send(request: Record<string, unknown> | string): void {
    this.#queue.push(typeof request === "string" ? request : JSON.stringify(request));
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  write(line: string): void {
    this.out.push(JSON.parse(line) as Record<string, unknown>);
    for (const w of this.#outWaiters.splice(0)) w();
  }

  log(line: string): void {
    this.logged.push(line);
  }

  /** Resolves with the first output message matching `pred` (already written or later). */
  async next(pred: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.out.find(pred);
      if (found) return found;
      await new Promise<void>((r) => this.#outWaiters.push(r));
    }
  }

  reply(id: number): Promise<Record<string, unknown>> {
    return this.next((m) => m.id === id);
  }
}

/** A deferred value the test settles by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

class LibraryError extends Error {
  constructor(readonly json: ClientErrorJson) {
    super(json.message);
  }
}

const notLeader: ClientErrorJson = { kind: "notLeader", failure: "notExecuted", retryable: true, code: "unavailable", message: "not the leader", notLeader: { leaderId: "n2", leaderUrl: "http://b", term: "7" } };

/** A scripted client: each call waits on a deferred the test controls. */
class ScriptedClient implements ClientUnderTest {
  readonly implementation = "scripted 1";
  readonly appends: ReturnType<typeof deferred<never>>[] = [];
  emit: EventSink | undefined;
  closed = 0;
  listenSignals: AbortSignal[] = [];
  listenBatches: DriverBatch[] = [];

  connect(_request: unknown, emit: EventSink): ConnectedClient {
    this.emit = emit;
    const self = this;
    return {
      append: () => {
        const d = deferred<never>();
        self.appends.push(d);
        return d.promise;
      },
      read: async () => ({ entries: [], throughSeq: "0", commitSeq: "0", hasMore: false }),
      status: async () => {
        throw new LibraryError(notLeader);
      },
      register: async () => {
        throw new TypeError("boom");
      },
      async *listen(_r, signal) {
        self.listenSignals.push(signal);
        for (const b of self.listenBatches) yield b;
        if (signal.aborted) throw new LibraryError({ kind: "cancelled", failure: "fatal", retryable: false, message: "cancelled" });
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        throw new LibraryError({ kind: "cancelled", failure: "fatal", retryable: false, message: "cancelled" });
      },
      close: () => {
        self.closed += 1;
      },
    };
  }

  describeError(error: unknown): ClientErrorJson | undefined {
    return error instanceof LibraryError ? error.json : undefined;
  }
}

function start(): { channel: TestChannel; client: ScriptedClient; done: Promise<void> } {
  const channel = new TestChannel();
  const client = new ScriptedClient();
  return { channel, client, done: runDriverLoop(client, channel) };
}

describe("runDriverLoop", () => {
  it("answers hello with the implementation and contract 1", async () => {
    const { channel } = start();
    channel.send({ id: 1, op: "hello" });
    expect(await channel.reply(1)).toEqual({ id: 1, ok: { implementation: "scripted 1", contract: 1 } });
  });

  it("answers faults for calls before connect, unknown ops, bad arguments and a second connect", async () => {
    const { channel } = start();
    channel.send({ id: 1, op: "read" });
    channel.send({ id: 2, op: "frobnicate" });
    channel.send({ id: 3, op: "connect", peers: [] });
    channel.send({ id: 4, op: "connect", peers: ["http://a"] });
    channel.send({ id: 5, op: "connect", peers: ["http://a"] });
    channel.send({ id: 6, op: "register" });
    expect((await channel.reply(1)).error).toEqual({ fault: "connect first" });
    expect((await channel.reply(2)).error).toEqual({ fault: 'unknown op "frobnicate"' });
    expect((await channel.reply(3)).error).toEqual({ fault: "connect needs a non-empty peers array" });
    expect(await channel.reply(4)).toEqual({ id: 4, ok: {} });
    expect((await channel.reply(5)).error).toEqual({ fault: "connect was already called" });
    expect((await channel.reply(6)).error).toEqual({ fault: "name must be a non-empty string" });
  });

  it("skips lines that are not JSON or have no numeric id, and keeps going", async () => {
    const { channel } = start();
    channel.send("not json");
    channel.send({ op: "hello" });
    channel.send({ id: 2, op: "hello" });
    await channel.reply(2);
    expect(channel.logged).toHaveLength(2);
    expect(channel.out).toHaveLength(1);
  });

  it("runs requests concurrently and answers in completion order", async () => {
    const { channel, client } = start();
    channel.send({ id: 1, op: "connect", peers: ["http://a"] });
    await channel.reply(1);
    channel.send({ id: 2, op: "append", entries: [{ type: "task", content: "x" }] });
    channel.send({ id: 3, op: "read" });
    await channel.reply(3);
    expect(channel.out.some((m) => m.id === 2)).toBe(false);
    client.appends[0]?.reject(new LibraryError({ kind: "outcomeUnknown", failure: "outcomeUnknown", retryable: false, message: "lost" }));
    expect((await channel.reply(2)).error).toMatchObject({ kind: "outcomeUnknown", failure: "outcomeUnknown" });
    expect(channel.out.map((m) => m.id)).toEqual([1, 3, 2]);
  });

  it("answers the library's errors as client errors and anything else as a fault", async () => {
    const { channel } = start();
    channel.send({ id: 1, op: "connect", peers: ["http://a"] });
    channel.send({ id: 2, op: "status" });
    channel.send({ id: 3, op: "register", name: "x" });
    expect(await channel.reply(2)).toEqual({ id: 2, error: notLeader });
    expect((await channel.reply(3)).error).toEqual({ fault: "the client threw an error outside its contract: TypeError: boom" });
  });

  it("writes events with atMs and 64-bit values as decimal strings", async () => {
    const { channel, client } = start();
    channel.send({ id: 1, op: "connect", peers: ["http://a"] });
    await channel.reply(1);
    client.emit?.("failover", { from: "http://a", to: "http://b", term: 12345678901234567890n as unknown as string });
    const event = await channel.next((m) => m.event === "failover");
    expect(event).toMatchObject({ event: "failover", data: { from: "http://a", to: "http://b", term: "12345678901234567890" } });
    expect(typeof event.atMs).toBe("number");
  });

  it("streams a listener's batches, and on cancel writes its end before answering", async () => {
    const { channel, client } = start();
    client.listenBatches = [{ afterSeq: "0", throughSeq: "2", entries: [{ seq: "1", id: "a" }, { seq: "2", id: "b" }] }, { afterSeq: "2", throughSeq: "2", entries: [] }];
    channel.send({ id: 1, op: "connect", peers: ["http://a"] });
    channel.send({ id: 2, op: "listen", listener: "L" });
    expect(await channel.reply(2)).toEqual({ id: 2, ok: {} });
    await channel.next((m) => m.listener === "L" && (m.batch as DriverBatch | undefined)?.afterSeq === "2");
    channel.send({ id: 3, op: "listen", listener: "L" });
    expect((await channel.reply(3)).error).toEqual({ fault: "listener L already exists" });
    channel.send({ id: 4, op: "cancel", listener: "L" });
    await channel.reply(4);
    expect(client.listenSignals[0]?.aborted).toBe(true);
    const lines = channel.out.filter((m) => m.listener === "L" || m.id === 4);
    expect(lines.map((m) => ("batch" in m ? "batch" : "end" in m ? "end" : "reply"))).toEqual(["batch", "batch", "end", "reply"]);
    expect(lines[2]).toEqual({ listener: "L", end: { error: { kind: "cancelled", failure: "fatal", retryable: false, message: "cancelled" } } });
    channel.send({ id: 5, op: "cancel", listener: "L" });
    expect(await channel.reply(5)).toEqual({ id: 5, ok: {} });
    channel.send({ id: 6, op: "cancel", listener: "nope" });
    expect((await channel.reply(6)).error).toEqual({ fault: "no listener nope" });
  });

  it("on close cancels listeners, closes the client once, answers and returns", async () => {
    const { channel, client, done } = start();
    channel.send({ id: 1, op: "connect", peers: ["http://a"] });
    channel.send({ id: 2, op: "listen", listener: "L" });
    await channel.reply(2);
    channel.send({ id: 3, op: "close" });
    await done;
    expect(client.closed).toBe(1);
    expect(channel.out.at(-1)).toEqual({ id: 3, ok: {} });
    expect(channel.out.some((m) => m.listener === "L" && "end" in m)).toBe(true);
  });

  it("closes the client when the input ends without close", async () => {
    const { channel, client, done } = start();
    channel.send({ id: 1, op: "connect", peers: ["http://a"] });
    await channel.reply(1);
    channel.end();
    await done;
    expect(client.closed).toBe(1);
  });
});
