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

  it("checks nested steps (repeat, waitUntil) as steps of the case's own side", async () => {
    const server = (nested: string): string => `${valid}  - op: repeat\n    times: 2\n    steps:\n      - ${nested}\n  - op: waitUntil\n    step: { ${nested.replace(/\n\s*/g, ", ")} }\n    until: { ok: {} }\n`;
    await expect(parseCase(server("op: log\n        node: n1"), "x.yaml")).resolves.toMatchObject({ id: "server.sample.one" });
    // appendSeries and events exist only on the client side; count is a client-only argument of append.
    await expect(parseCase(server("op: appendSeries\n        calls: 3"), "x.yaml")).rejects.toThrow(/steps\/2\/steps\/0[\s\S]*steps\/3\/step/);
    await expect(parseCase(server("op: events"), "x.yaml")).rejects.toThrow(CaseFileError);
    await expect(parseCase(server("op: append\n        count: 3"), "x.yaml")).rejects.toThrow(/steps\/2\/steps\/0/);
    const client = `
format: synod-conformance/v1
id: client.sample.nested
side: client
tier: fast
title: sample
network: live
cluster: { nodes: 3 }
client: { peers: cluster }
steps:
  - op: repeat
    times: 2
    steps: [{ op: status }]
  - op: waitUntil
    step: { op: status }
    until: { ok: {} }
`;
    await expect(parseCase(client, "x.yaml")).resolves.toMatchObject({ id: "client.sample.nested" });
    // log and callMatrix exist only on the server side.
    await expect(parseCase(client.replace("steps: [{ op: status }]", "steps: [{ op: log, node: n1 }]"), "x.yaml")).rejects.toThrow(/steps\/0\/steps\/0/);
    await expect(parseCase(client.replace("step: { op: status }", "step: { op: callMatrix, node: n1, call: status }"), "x.yaml")).rejects.toThrow(/steps\/1\/step/);
  });

  it("loads every shipped case with unique ids", async () => {
    const cases = await loadCases(casesDir);
    expect(cases.length).toBeGreaterThan(0);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });
});
