/**
 * Known-failing lists: one case id per line (`#` starts a comment), per
 * implementation. A listed case that fails is reported as `known-fail` and does not
 * fail the run; a listed case that passes is reported as `fixed` and does fail the
 * run, so the list is kept honest. Synod's own lists are empty.
 */
import { readFile } from "node:fs/promises";

/** Parses a list file's text into case ids. */
export function parseKnownFailing(text: string): Set<string> {
  return new Set(
    text
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter((l) => l !== ""),
  );
}

/** Reads and merges list files. @throws Error when a file cannot be read. */
export async function readKnownFailing(files: readonly string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const f of files) for (const id of parseKnownFailing(await readFile(f, "utf8"))) ids.add(id);
  return ids;
}
