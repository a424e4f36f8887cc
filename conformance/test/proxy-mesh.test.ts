import { afterEach, describe, expect, it } from "vitest";
import net from "node:net";
import { once } from "node:events";
import { startProxyMesh, type ProxyMesh } from "../src/network/proxy-mesh.js";

let mesh: ProxyMesh | undefined;
const servers: net.Server[] = [];
afterEach(async () => {
  await mesh?.close();
  mesh = undefined;
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listener(): Promise<number> {
  const s = net.createServer((c) => c.on("error", () => c.destroy()).pipe(c));
  servers.push(s);
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  return (s.address() as net.AddressInfo).port;
}

async function threeNodes(): Promise<ProxyMesh> {
  const ports = new Map([["n1", await listener()], ["n2", await listener()], ["n3", await listener()]]);
  mesh = await startProxyMesh(ports, new Set(ports.values()));
  return mesh;
}

const sorted = (links: [string, string][]) => links.map(([a, b]) => `${a}->${b}`).sort();

describe("proxy mesh", () => {
  it("has one proxy per directed link, forwarding to the right node, and routes naming them", async () => {
    const m = await threeNodes();
    expect(m.proxy("n1", "n2")).not.toBe(m.proxy("n2", "n1"));
    expect(m.routesFor("n1")).toBe(`n2=${m.proxy("n1", "n2").address},n3=${m.proxy("n1", "n3").address}`);
    expect(() => m.proxy("n1", "n1")).toThrow(/no link/);
    const c = net.connect({ host: "127.0.0.1", port: m.proxy("n3", "n1").port });
    c.write("hi");
    const [data] = (await once(c, "data")) as [Buffer];
    expect(data.toString()).toBe("hi");
    c.destroy();
  });

  it("partition cuts exactly the links between groups, both ways, and replaces the previous partition", async () => {
    const m = await threeNodes();
    m.partition([["n1"], ["n2", "n3"]]);
    expect(sorted(m.cutLinks())).toEqual(["n1->n2", "n1->n3", "n2->n1", "n3->n1"]);
    expect(m.proxy("n1", "n2").state()).toBe("blackhole");
    m.partition([["n1", "n2"], ["n3"]], "reset");
    expect(sorted(m.cutLinks())).toEqual(["n1->n3", "n2->n3", "n3->n1", "n3->n2"]);
    expect(m.proxy("n3", "n2").state()).toBe("reset");
    m.heal();
    expect(m.cutLinks()).toEqual([]);
  });

  it("isolate and cutLink", async () => {
    const m = await threeNodes();
    m.isolate("n2");
    expect(sorted(m.cutLinks())).toEqual(["n1->n2", "n2->n1", "n2->n3", "n3->n2"]);
    m.heal();
    m.cutLink("n1", "n3");
    expect(sorted(m.cutLinks())).toEqual(["n1->n3"]);
  });

  it("rejects a partition that does not list every node exactly once", async () => {
    const m = await threeNodes();
    expect(() => m.partition([["n1"], ["n2"]])).toThrow(/n3 in no group/);
    expect(() => m.partition([["n1", "n2"], ["n2", "n3"]])).toThrow(/n2 is in two groups/);
    expect(() => m.partition([["n1", "n2", "n3", "n4"]])).toThrow(/unknown node n4/);
  });
});
