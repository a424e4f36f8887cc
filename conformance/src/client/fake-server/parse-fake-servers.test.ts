import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Code } from "@connectrpc/connect";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { schemaDir } from "../../case-format/load-cases.js";
import { codesByWireName, FakeScriptError, fakeServerNames, parseFakeServers } from "./parse-fake-servers.js";

const urlOf = (name: string): string => `http://${name}.fake:1`;
const parse = (spec: Record<string, unknown>) => parseFakeServers(spec, urlOf);

async function fakeServersSchema() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addSchema(JSON.parse(await readFile(join(schemaDir, "ops-client.v1.schema.json"), "utf8")) as object, "ops-client.v1.schema.json");
  const validate = ajv.getSchema("ops-client.v1.schema.json#/$defs/fakeServers");
  if (!validate) throw new Error("no fakeServers schema");
  return validate;
}

/** Scripts that use every form; both the schema and the parser must accept them. */
const good: Record<string, Record<string, unknown>> = {
  hints: {
    a: { term: 5, Append: [{ error: { code: "unavailable", notLeader: { leader: "b", term: 6 } } }, { ok: "auto", drop: true }] },
    b: { leader: "b", members: ["a", "b"], Append: [{ ok: "auto", delayMs: 20 }], Status: [{ ok: "auto" }] },
    c: { down: true },
  },
  errors: {
    a: {
      Read: [
        { error: "unavailable", times: 3 },
        { error: { code: "resource_exhausted", retryAfterMs: 400 } },
        { error: { code: "out_of_range", compacted: { earliestSeq: "12" } } },
        { error: { code: "invalid_argument", badRequest: [{ field: "limit", description: "too big" }] } },
        { error: { code: "unavailable", notLeader: {} } },
        { hang: true },
      ],
      Register: [{ drop: "connection" }, { drop: true }, { ok: { token: "t", info: { name: "x" } } }],
      ClusterStatus: [{ ok: { status: { nodeId: "a", leaderUrl: { $url: "a" } } } }],
    },
  },
  listen: {
    a: {
      Listen: [
        {
          stream: [
            { batch: { after: 0, through: 3, ids: ["x1", "x2", "x3"] } },
            { heartbeat: { through: 3 } },
            { delayMs: 50 },
            { batch: { after: 4, through: 6, ids: ["x5"], seqs: ["6"], commit: 9 } },
            { end: { code: "unavailable" } },
          ],
        },
        { stream: [{ batch: { after: 3, through: 4, ids: [] } }, { silent: true }] },
        { stream: [{ end: true }] },
        { stream: [{ end: {} }] },
        { stream: [{ drop: true }] },
        { error: "unauthenticated" },
        { hang: true, delayMs: 10 },
      ],
    },
  },
};

/**
 * Scripts the parser must refuse, with the path it names; `schema` says whether the
 * JSON schema refuses them too (cross-references, step order and message shapes are
 * beyond it, so the parser refuses those before any server starts).
 */
const bad: [string, Record<string, unknown>, RegExp, { schema: boolean }?][] = [
  ["an unknown RPC", { a: { Appendd: [{ ok: "auto" }] } }, /fakeServers\.a\.Appendd/],
  ["an empty response list", { a: { Append: [] } }, /fakeServers\.a\.Append: expected a non-empty list/],
  ["ok and error together", { a: { Append: [{ ok: "auto", error: "unavailable" }] } }, /ok and error cannot be combined/],
  ["drop with error", { a: { Append: [{ error: "unavailable", drop: true }] } }, /drop combines only with ok/],
  ["an unknown code", { a: { Append: [{ error: { code: "nope" } }] } }, /Append\[0\]\.error\.code: unknown code/],
  ["a hint to an unknown server", { a: { Append: [{ error: { code: "unavailable", notLeader: { leader: "z", term: 2 } } }] } }, /notLeader\.leader: "z" is not a fake server/, { schema: false }],
  ["ok auto where it means nothing", { a: { Revoke: [{ ok: "auto" }] } }, /ok: auto is not defined for Revoke/],
  ["ok for Listen", { a: { Listen: [{ ok: "auto" }] } }, /a Listen answer is a stream/],
  ["a step after end", { a: { Listen: [{ stream: [{ end: true }, { heartbeat: { through: 1 } }] }] } }, /nothing can follow end/, { schema: false }],
  ["a step with two keys", { a: { Listen: [{ stream: [{ delayMs: 1, silent: true }] }] } }, /exactly one key/],
  ["a down server with RPCs", { a: { down: true, Append: [{ ok: "auto" }] } }, /a down server answers nothing/],
  ["times 0", { a: { Append: [{ ok: "auto", times: 0 }] } }, /times: must be at least 1/],
  ["a negative delay", { a: { Append: [{ ok: "auto", delayMs: -1 }] } }, /delayMs: expected a non-negative integer/],
  ["a bad seq", { a: { Listen: [{ stream: [{ batch: { after: -1, through: 2 } }] }] } }, /batch\.after: expected a non-negative integer/],
  ["seqs not matching ids", { a: { Listen: [{ stream: [{ batch: { after: 0, through: 2, ids: ["x"], seqs: [1, 2] } }] }] } }, /one seq per id/, { schema: false }],
  ["an ok body of the wrong shape", { a: { Status: [{ ok: { term: "minus one" } }] } }, /not a valid synod\.v1\.StatusResponse/, { schema: false }],
  ["an upper-case server name", { A: { Append: [{ ok: "auto" }] } }, /a name is a lower-case letter/],
];

describe("parseFakeServers", () => {
  it.each(Object.entries(good))("accepts the %s script, as the schema does", async (_name, spec) => {
    expect(() => parse(spec)).not.toThrow();
    const validate = await fakeServersSchema();
    expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(bad)("refuses %s", async (_name, spec, message, also = { schema: true }) => {
    expect(() => parse(spec)).toThrow(FakeScriptError);
    expect(() => parse(spec)).toThrow(message);
    const validate = await fakeServersSchema();
    expect(validate(spec)).toBe(!also.schema);
  });

  it("resolves server names to URLs in hints and {$url}", () => {
    const script = parse(good.hints as Record<string, unknown>);
    const a = script.servers[0];
    const first = a?.methods.get("Append")?.[0]?.action;
    expect(first).toMatchObject({ kind: "error", error: { code: Code.Unavailable, notLeader: { leaderId: "b", leaderUrl: "http://b.fake:1", term: 6n } } });
    expect(a?.term).toBe(5n);
    const cs = parse(good.errors as Record<string, unknown>).servers[0]?.methods.get("ClusterStatus")?.[0]?.action;
    expect(cs).toMatchObject({ kind: "ok", body: { status: { nodeId: "a", leaderUrl: "http://a.fake:1" } } });
  });

  it("numbers batch entries after `after` unless seqs are given", () => {
    const listen = parse(good.listen as Record<string, unknown>).servers[0]?.methods.get("Listen")?.[0]?.action;
    if (listen?.kind !== "stream") throw new Error("expected a stream");
    expect(listen.steps[0]).toEqual({ kind: "batch", after: 0n, through: 3n, commit: 3n, entries: [{ id: "x1", seq: 1n }, { id: "x2", seq: 2n }, { id: "x3", seq: 3n }] });
    expect(listen.steps[3]).toEqual({ kind: "batch", after: 4n, through: 6n, commit: 9n, entries: [{ id: "x5", seq: 6n }] });
    expect(listen.steps[4]).toMatchObject({ kind: "end", error: { code: Code.Unavailable } });
  });

  it("reads drop forms and defaults", () => {
    const reg = parse(good.errors as Record<string, unknown>).servers[0]?.methods.get("Register") ?? [];
    expect(reg.map((r) => r.action)).toMatchObject([{ kind: "drop", mode: "connection" }, { kind: "drop", mode: "stream" }, { kind: "ok" }]);
    const append = parse(good.hints as Record<string, unknown>).servers[0]?.methods.get("Append")?.[1];
    expect(append).toEqual({ action: { kind: "ok", body: "auto", thenDrop: "stream" }, delayMs: 0, times: 1 });
  });

  it("knows every Connect code by its wire name", () => {
    expect(codesByWireName.get("resource_exhausted")).toBe(Code.ResourceExhausted);
    expect(codesByWireName.get("deadline_exceeded")).toBe(Code.DeadlineExceeded);
    expect(codesByWireName.get("canceled")).toBe(Code.Canceled);
    expect(codesByWireName.size).toBe(16);
  });

  it("lists names and down flags before ports are bound", () => {
    expect(fakeServerNames(good.hints as Record<string, unknown>)).toEqual([
      { name: "a", down: false },
      { name: "b", down: false },
      { name: "c", down: true },
    ]);
    expect(() => fakeServerNames({})).toThrow(/at least one fake server/);
  });
});
