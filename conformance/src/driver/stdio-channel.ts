/** The driver loop's channel over this process's stdin, stdout and stderr. */
import { createInterface } from "node:readline";
import type { DriverChannel } from "./driver-loop.js";

/** Requests from stdin, messages to stdout, diagnostics to stderr. */
export function stdioChannel(): DriverChannel {
  return {
    lines: createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
    write: (line) => process.stdout.write(`${line}\n`),
    log: (line) => process.stderr.write(`${line}\n`),
  };
}
