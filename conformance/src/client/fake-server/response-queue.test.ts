import { describe, expect, it } from "vitest";
import type { ScriptedResponse } from "./fake-script.js";
import { ResponseQueue } from "./response-queue.js";

const r = (label: string, times = 1): ScriptedResponse => ({ action: { kind: "error", error: { code: 14, codeName: label, message: label } }, delayMs: 0, times });
const labels = (q: ResponseQueue, n: number): string[] =>
  Array.from({ length: n }, () => {
    const { response } = q.next();
    return response.action.kind === "error" ? response.action.error.codeName : "?";
  });

describe("ResponseQueue", () => {
  it("answers in order, then repeats the last response", () => {
    expect(labels(new ResponseQueue([r("x"), r("y"), r("z")]), 5)).toEqual(["x", "y", "z", "z", "z"]);
  });

  it("uses a response `times` times before moving on", () => {
    expect(labels(new ResponseQueue([r("x", 3), r("y", 2), r("z")]), 7)).toEqual(["x", "x", "x", "y", "y", "z", "z"]);
  });

  it("repeats a lone response forever, whatever its times", () => {
    expect(labels(new ResponseQueue([r("x", 2)]), 4)).toEqual(["x", "x", "x", "x"]);
  });

  it("reports the position of the response used", () => {
    const q = new ResponseQueue([r("x", 2), r("y")]);
    expect([q.next().index, q.next().index, q.next().index, q.next().index]).toEqual([0, 0, 1, 1]);
  });

  it("refuses an empty list", () => {
    expect(() => new ResponseQueue([])).toThrow(/at least one/);
  });
});
