import { afterEach, describe, expect, it } from "vitest";
import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { ListenRequestSchema, type ListenResponse } from "@synod/proto/hub";
import { startTestHub, type TestHub } from "./hub-harness.js";

const hubs: TestHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});
async function hub(listen?: { stallMs?: number; heartbeatMsDefault?: number }): Promise<TestHub> {
  const h = await startTestHub(undefined, listen ? { listen } : {});
  hubs.push(h);
  return h;
}
const entry = (id: string, type = "decision") => ({ id, type, content: `content of ${id}` });

/** Reads messages until `done` says stop; checks contiguity of every message. */
async function collect(stream: AsyncIterable<ListenResponse>, done: (msgs: ListenResponse[]) => boolean, from = 0n) {
  const msgs: ListenResponse[] = [];
  let cursor = from;
  for await (const m of stream) {
    expect(m.afterSeq, "each message starts where the previous ended").toBe(cursor);
    expect(m.throughSeq >= m.afterSeq).toBe(true);
    for (const e of m.entries) expect(e.seq > m.afterSeq && e.seq <= m.throughSeq).toBe(true);
    cursor = m.throughSeq;
    msgs.push(m);
    if (done(msgs)) break;
  }
  return msgs;
}

describe("Listen", () => {
  it("delivers the backlog, then live entries, as contiguous ranges", async () => {
    const h = await hub();
    const c = h.client();
    await c.append({ entries: [entry("a"), entry("b")] });
    const abort = new AbortController();
    const stream = c.listen({ afterSeq: 0n }, { signal: abort.signal });
    const seen: string[] = [];
    const got = collect(stream, (msgs) => {
      seen.splice(0, seen.length, ...msgs.flatMap((m) => m.entries.map((e) => e.id)));
      return seen.length >= 4;
    });
    await c.append({ entries: [entry("c")] });
    await c.append({ entries: [entry("d")] });
    await got;
    abort.abort();
    expect(seen).toEqual(["a", "b", "c", "d"]);
  });

  it("advances the cursor past filtered-out entries and sends heartbeats when idle", async () => {
    const h = await hub({ heartbeatMsDefault: 100 });
    const c = h.client();
    await c.append({ entries: [entry("d1"), entry("l1", "learning"), entry("d2")] });
    const abort = new AbortController();
    const msgs = await collect(c.listen({ types: ["learning"], heartbeatMs: 100 }, { signal: abort.signal }), (m) => m.some((x) => x.throughSeq === 3n) && m.at(-1)?.afterSeq === m.at(-1)?.throughSeq);
    abort.abort();
    expect(msgs.flatMap((m) => m.entries.map((e) => e.id))).toEqual(["l1"]);
    const last = msgs.at(-1);
    expect(last?.entries).toEqual([]);
    expect(last?.commitSeq).toBe(3n);
  });

  it("starts beyond the head and waits for the log to get there", async () => {
    const h = await hub();
    const c = h.client();
    const abort = new AbortController();
    const got = collect(c.listen({ afterSeq: 2n, heartbeatMs: 100 }, { signal: abort.signal }), (m) => m.some((x) => x.entries.length > 0), 2n);
    await c.append({ entries: [entry("1"), entry("2"), entry("3")] });
    const msgs = await got;
    abort.abort();
    expect(msgs.flatMap((m) => m.entries.map((e) => e.seq))).toEqual([3n]);
  });

  it("a listener that stops reading does not stall appends and gets its stream reset", async () => {
    const h = await hub({ stallMs: 500 });
    const c = h.client();
    const big = "x".repeat(60_000);
    await c.append({ entries: Array.from({ length: 50 }, (_, i) => ({ ...entry(`pre${i}`), content: big })) });
    // A raw HTTP/2 Listen whose response is never read: flow control fills up.
    const session = http2.connect(h.hub.clientUrl);
    const body = toBinary(ListenRequestSchema, create(ListenRequestSchema, { afterSeq: 0n }));
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    const req = session.request({
      ":method": "POST",
      ":path": "/synod.v1.HubService/Listen",
      "content-type": "application/connect+proto",
      authorization: `Bearer ${h.admin}`,
    });
    req.pause();
    req.end(frame);
    const closed = new Promise<number>((resolve) => req.on("close", () => resolve(req.rstCode)));
    const started = performance.now();
    for (let i = 0; i < 20; i++) await c.append({ entries: [{ ...entry(`live${i}`), content: big }] });
    expect(performance.now() - started, "20 appends beside a stuck listener").toBeLessThan(10_000);
    expect(await closed, "the stuck stream is reset by the server").toBe(http2.constants.NGHTTP2_CANCEL);
    session.destroy();
  });
});
