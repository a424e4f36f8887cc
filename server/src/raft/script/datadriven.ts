/**
 * A small data-driven test format, in the manner of etcd-io/raft's testdata: each
 * case is a command line, a `----` line, and the expected output up to a blank line.
 * Lines starting with `#` outside a case are comments.
 */

/** One case of a script. */
export interface ScriptCase {
  /** 1-based line of the command, for failure messages. */
  readonly line: number;
  readonly command: string;
  readonly expected: string;
  /** Comment lines just before the command, kept when rewriting. */
  readonly comments: readonly string[];
}

/** Parses a script file's text. */
export function parseScript(text: string): ScriptCase[] {
  const lines = text.split("\n");
  const cases: ScriptCase[] = [];
  let comments: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      comments.push(line);
      continue;
    }
    if (lines[i + 1] !== "----") throw new Error(`line ${i + 1}: expected ---- after command`);
    const out: string[] = [];
    let j = i + 2;
    for (; j < lines.length && (lines[j] as string).trim() !== ""; j++) out.push(lines[j] as string);
    cases.push({ line: i + 1, command: line, expected: out.join("\n"), comments });
    comments = [];
    i = j;
  }
  return cases;
}

/** Renders cases back to text with the given outputs (used to rewrite expectations). */
export function renderScript(cases: readonly ScriptCase[], outputs: readonly string[]): string {
  return cases.map((c, i) => [...c.comments, c.command, "----", outputs[i] ?? ""].join("\n")).join("\n\n") + "\n";
}
