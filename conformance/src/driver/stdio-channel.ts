/** The driver loop's channel over this process's stdin, stdout and stderr, and a clean exit. */
import { createInterface } from "node:readline";
import type { DriverChannel } from "./driver-loop.js";

/** Longest wait for stdout and stderr to drain before exiting anyway, ms (a reader that stopped reading). */
export const drainTimeoutMs = 5_000;

/** Requests from stdin, messages to stdout, diagnostics to stderr. */
export function stdioChannel(): DriverChannel {
  return {
    lines: createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY }),
    write: (line) => process.stdout.write(`${line}\n`),
    log: (line) => process.stderr.write(`${line}\n`),
  };
}

/** Resolves once everything written to `stream` so far was handed to the OS (or it failed). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    // Writes complete in order, so this empty write's callback runs after every
    // earlier one; it also runs, with an error, when the stream is closed or broken.
    stream.write("", () => resolve());
  });
}

/**
 * Exits with `code` once stdout and stderr drained. Where Node writes to pipes
 * asynchronously (it depends on the platform), `process.exit` drops what is still
 * buffered: the reply to `close` or a listener's last messages. The exit itself is
 * still needed, since calls that `close` abandoned may hold timers open. Gives up
 * waiting after {@link drainTimeoutMs}.
 */
export async function exitWhenDrained(code: number): Promise<never> {
  const timer = new Promise<void>((resolve) => setTimeout(resolve, drainTimeoutMs).unref());
  await Promise.race([Promise.all([drained(process.stdout), drained(process.stderr)]), timer]);
  process.exit(code);
}
