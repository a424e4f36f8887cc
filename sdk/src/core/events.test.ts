import { describe, expect, it } from "vitest";
import { Emitter } from "./events.js";

interface TestEvents {
  ping: { n: number };
  pong: { s: string };
}

describe("Emitter", () => {
  it("delivers typed payloads to the listeners of that event until unsubscribed", () => {
    const e = new Emitter<TestEvents>();
    const seen: number[] = [];
    const off = e.on("ping", (p) => seen.push(p.n));
    e.on("pong", () => seen.push(-1));
    e.emit("ping", { n: 1 });
    off();
    e.emit("ping", { n: 2 });
    expect(seen).toEqual([1]);
  });

  it("isolates a throwing listener", () => {
    const e = new Emitter<TestEvents>();
    const seen: string[] = [];
    e.on("pong", () => {
      throw new Error("observer bug");
    });
    e.on("pong", (p) => seen.push(p.s));
    expect(() => e.emit("pong", { s: "ok" })).not.toThrow();
    expect(seen).toEqual(["ok"]);
  });
});
