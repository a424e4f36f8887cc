import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// CONVENTIONS "Pure folders": the decision core takes time, randomness and I/O
// as parameters. This scan keeps it that way.
const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ["timers", /\b(setTimeout|setInterval|setImmediate|clearTimeout|clearInterval|queueMicrotask)\b/],
  ["wall clock", /\b(Date\s*\.\s*now|new\s+Date)\b|\bperformance\b/],
  ["ambient randomness", /Math\s*\.\s*random|\bcrypto\b/],
  ["async code", /\basync\b|\bawait\b|\bPromise\b/],
  ["node modules", /from\s+["']node:|require\(/],
  ["DOM and globals", /\b(window|document|globalThis|process|fetch|XMLHttpRequest|localStorage)\b/],
];

const dir = dirname(fileURLToPath(import.meta.url));
const sources = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

describe("sdk/src/core purity", () => {
  it("has source files to check", () => {
    expect(sources.length).toBeGreaterThan(5);
  });

  it.each(sources)("%s uses no timers, clock, randomness, async, node: or DOM", (file) => {
    const code = readFileSync(join(dir, file), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:])\/\/.*$/gm, "$1");
    const found = FORBIDDEN.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
    expect(found, `${file} uses ${found.join(", ")}`).toEqual([]);
  });

  it("the scan catches a forbidden token", () => {
    const sample = "export function f() { return setTimeout(() => 1, 5); }";
    expect(FORBIDDEN.some(([, pattern]) => pattern.test(sample))).toBe(true);
  });
});
