import { describe, expect, it } from "vitest";
import { Bindings } from "./bindings.js";

describe("Bindings", () => {
  const b = new Bindings();
  b.set("first", { ok: { results: [{ seq: "12", id: "a" }], node: "n2" } });

  it("replaces a whole-string reference with the value, keeping its type", () => {
    expect(b.resolve("${first.ok.results}")).toEqual([{ seq: "12", id: "a" }]);
    expect(b.resolve({ node: "${first.ok.node}", n: 3 })).toEqual({ node: "n2", n: 3 });
  });

  it("formats references inside longer strings", () => {
    expect(b.resolve("seq ${first.ok.results[0].seq} on ${first.ok.node}")).toBe("seq 12 on n2");
  });

  it("refuses unknown names and paths instead of resolving to nothing", () => {
    expect(() => b.resolve("${second.ok}")).toThrow(/nothing was saved as "second"/);
    expect(() => b.resolve("${first.ok.missing}")).toThrow(/no "missing"/);
  });
});
