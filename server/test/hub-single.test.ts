import { afterEach, describe, expect, it } from "vitest";
import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "@synod/proto/errors";
import { startTestHub, type TestHub } from "./hub-harness.js";

const hubs: TestHub[] = [];
async function hub(): Promise<TestHub> {
  const h = await startTestHub();
  hubs.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.stop()));
});

const entry = (id: string, content = "text", type = "decision") => ({ id, type, content });

async function codeOf(p: Promise<unknown>): Promise<Code | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("single-node hub", () => {
  it("appends a batch with dense seqs and reads it back with the origin stamped", async () => {
    const h = await hub();
    const c = h.client();
    const r = await c.append({ entries: [entry("a"), entry("b"), entry("c")] });
    expect(r.results.map((x) => [x.id, x.seq, x.duplicate])).toEqual([
      ["a", 1n, false],
      ["b", 2n, false],
      ["c", 3n, false],
    ]);
    const page = await c.read({ afterSeq: 1n });
    expect(page.entries.map((e) => [e.id, e.seq, e.origin])).toEqual([
      ["b", 2n, "admin"],
      ["c", 3n, "admin"],
    ]);
    expect(page.throughSeq).toBe(3n);
    expect(page.hasMore).toBe(false);
  });

  it("returns the original seq with duplicate=true for a replayed id", async () => {
    const h = await hub();
    const c = h.client();
    await c.append({ entries: [entry("x"), entry("y")] });
    const again = await c.append({ entries: [entry("y"), entry("z")] });
    expect(again.results.map((x) => [x.id, x.seq, x.duplicate])).toEqual([
      ["y", 2n, true],
      ["z", 3n, false],
    ]);
  });

  it("gives one entry for concurrent identical appends", async () => {
    const h = await hub();
    const c = h.client();
    const results = await Promise.all(Array.from({ length: 20 }, () => c.append({ entries: [entry("same")] })));
    const seqs = new Set(results.map((r) => r.results[0]?.seq));
    expect([...seqs]).toEqual([1n]);
    expect(results.filter((r) => !r.results[0]?.duplicate)).toHaveLength(1);
    expect((await c.status({})).commitSeq).toBe(1n);
  });

  it("names every bad field in invalid_argument", async () => {
    const h = await hub();
    try {
      await h.client().append({ entries: [{ id: "", type: "nope", content: "a\u0000b" }] });
      expect.unreachable();
    } catch (err) {
      const ce = ConnectError.from(err);
      expect(ce.code).toBe(Code.InvalidArgument);
      const fields = ce.findDetails(BadRequestSchema)[0]?.fieldViolations.map((v) => v.field);
      expect(fields).toEqual(["entries[0].id", "entries[0].type", "entries[0].content"]);
    }
  });

  it("rejects oversized content, empty batches and bad meta", async () => {
    const c = (await hub()).client();
    expect(await codeOf(c.append({ entries: [] }))).toBe(Code.InvalidArgument);
    expect(await codeOf(c.append({ entries: [{ ...entry("big"), content: "x".repeat(1024 * 1024 + 1) }] }))).toBe(Code.InvalidArgument);
    expect(await codeOf(c.append({ entries: [{ ...entry("m"), meta: { "bad key": "v" } }] }))).toBe(Code.InvalidArgument);
  });

  it("rejects a lone surrogate sent as JSON (not valid UTF-8)", async () => {
    const c = (await hub()).client({ json: true });
    expect(await codeOf(c.append({ entries: [{ ...entry("s"), content: "\ud800" }] }))).toBe(Code.InvalidArgument);
  });

  it("requires a token on every RPC and one generic error for bad ones", async () => {
    const h = await hub();
    expect(await codeOf(h.client({ token: "synod_cli_wrong" }).status({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(h.client({ token: "" }).read({}))).toBe(Code.Unauthenticated);
  });

  it("binds client tokens to a name stamped as origin; clients cannot administer; revoked tokens stop working", async () => {
    const h = await hub();
    const reg = await h.client().register({ name: "project-a" });
    expect(reg.token).toMatch(/^synod_cli_/);
    const client = h.client({ token: reg.token });
    const r = await client.append({ entries: [entry("p1")] });
    const page = await client.read({});
    expect(page.entries[0]?.origin).toBe("project-a");
    expect(r.results[0]?.seq).toBe(1n);
    expect(await codeOf(client.register({ name: "sneaky" }))).toBe(Code.PermissionDenied);
    const list = await h.client().list({});
    expect(list.tokens.map((t) => t.kind).sort()).toEqual(["admin", "client"]);
    await h.client().revoke({ tokenId: reg.info?.tokenId ?? "" });
    expect(await codeOf(client.status({}))).toBe(Code.Unauthenticated);
  });

  it("keeps tokens and entries across a restart", async () => {
    let h = await hub();
    const reg = await h.client().register({ name: "keeper" });
    await h.client({ token: reg.token }).append({ entries: [entry("k1"), entry("k2")] });
    h = await h.restart();
    hubs.splice(0, 1, h);
    const page = await h.client({ token: reg.token }).read({});
    expect(page.entries.map((e) => e.id)).toEqual(["k1", "k2"]);
    const dup = await h.client({ token: reg.token }).append({ entries: [entry("k2")] });
    expect(dup.results[0]).toMatchObject({ seq: 2n, duplicate: true });
  });

  it("serves Connect, gRPC and gRPC-Web over HTTP/1.1 and HTTP/2 on one port", async () => {
    const h = await hub();
    await h.client().append({ entries: [entry("proto")] });
    for (const [protocol, http] of [["connect", "1.1"], ["connect", "2"], ["grpc-web", "1.1"], ["grpc-web", "2"], ["grpc", "2"]] as const) {
      const s = await h.client({ protocol, http }).status({});
      expect(s.commitSeq, `${protocol} over HTTP/${http}`).toBe(1n);
    }
  });

  it("filters reads by type and origin while the page still advances the cursor", async () => {
    const c = (await hub()).client();
    await c.append({ entries: [entry("d1"), entry("l1", "t", "learning"), entry("d2"), entry("l2", "t", "learning")] });
    const page = await c.read({ types: ["learning"], limit: 1 });
    expect(page.entries.map((e) => e.id)).toEqual(["l1"]);
    const next = await c.read({ afterSeq: page.throughSeq, types: ["learning"] });
    expect(next.entries.map((e) => e.id)).toEqual(["l2"]);
    expect(next.throughSeq).toBe(4n);
  });
});
