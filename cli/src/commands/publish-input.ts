/** Inputs of `synod connection publish`. */
import { CliError } from "../cli-error.js";

/** The content: the words given, or stdin when there are none or just `-`. */
export async function readContent(words: readonly string[]): Promise<string> {
  if (words.length > 0 && !(words.length === 1 && words[0] === "-")) return words.join(" ");
  if (process.stdin.isTTY) throw new CliError("no content: pass it as arguments or pipe it on stdin", 2);
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\n$/, "");
}

/** `key=value` pairs into a map. */
export function parseMeta(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf("=");
    if (i <= 0) throw new CliError(`--meta expects key=value, got "${p}"`, 2);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}
