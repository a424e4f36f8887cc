/**
 * The Raft core is pure (DESIGN §5, CONVENTIONS "Pure folders"): no node: imports,
 * no clock, no ambient randomness, no timers, no async, no process. This scans every
 * non-test file outside sim/ (the simulator and tests may use Node).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL(".", import.meta.url));

const forbidden: readonly [string, RegExp][] = [
  ["node: import", /from\s+["']node:|import\(\s*["']node:/],
  ["Date", /\bDate\b/],
  ["Math.random", /\bMath\.random\b/],
  ["timers", /\b(setTimeout|setInterval|setImmediate)\b/],
  ["async", /\basync\b|\bawait\b/],
  ["process", /\bprocess\./],
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "sim" || name === "testdata" ? [] : sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Removes comments and string contents so prose cannot trip the scan. */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/`(?:\\.|[^`\\])*`/g, "``")
    .replace(/"(?:\\.|[^"\\\n])*"/g, (s) => (s.startsWith('"node:') ? s : '""'));
}

describe("raft core purity", () => {
  const files = sources(root);

  it("scans the core's files", () => {
    expect(files.some((f) => f.endsWith("core.ts"))).toBe(true);
  });

  for (const file of files) {
    it(`${file.slice(root.length)} is pure`, () => {
      const body = code(readFileSync(file, "utf8"));
      const found = forbidden.filter(([, re]) => re.test(body)).map(([name]) => name);
      expect(found).toEqual([]);
    });
  }

  it("the scanner notices a violation", () => {
    const bad = code('import { x } from "node:fs";\nconst t = Date.now(); async function f() {}');
    expect(forbidden.filter(([, re]) => re.test(bad)).map(([n]) => n)).toEqual(["node: import", "Date", "async"]);
  });
});
