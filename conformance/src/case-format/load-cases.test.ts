import { describe, expect, it } from "vitest";
import { CaseFileError, casesDir, loadCases, parseCase } from "./load-cases.js";

const valid = `
format: synod-conformance/v1
id: server.sample.one
side: server
tier: fast
title: sample
cluster: { nodes: 3 }
steps:
  - op: waitLeader
    save: l
  - op: kill
    node: \${l.ok.node}
`;

describe("case files", () => {
  it("accepts a valid case", async () => {
    const c = await parseCase(valid, "x.yaml");
    expect(c.id).toBe("server.sample.one");
    expect(c.steps).toHaveLength(2);
  });

  it("rejects a wrong format version, an unknown field, an unknown operation and a bad argument", async () => {
    await expect(parseCase(valid.replace("/v1", "/v2"), "x.yaml")).rejects.toThrow(/format/);
    await expect(parseCase(valid.replace("tier: fast", "tier: fast\nbogus: 1"), "x.yaml")).rejects.toThrow(/additional/);
    await expect(parseCase(valid.replace("op: kill", "op: kil"), "x.yaml")).rejects.toThrow(CaseFileError);
    await expect(parseCase(valid.replace("node: ${l.ok.node}", "nod: n1"), "x.yaml")).rejects.toThrow(/steps\/1/);
    await expect(parseCase(valid.replace("cluster: { nodes: 3 }", "cluster: { nodes: 4 }"), "x.yaml")).rejects.toThrow(/cluster/);
  });

  it("requires a cluster for server cases", async () => {
    await expect(parseCase(valid.replace("cluster: { nodes: 3 }\n", ""), "x.yaml")).rejects.toThrow(/cluster/);
  });

  it("loads every shipped case with unique ids", async () => {
    const cases = await loadCases(casesDir);
    expect(cases.length).toBeGreaterThan(0);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });
});
