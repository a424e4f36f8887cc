/**
 * A small structured logger: one line per event on stderr, `level msg k=v`.
 * Injected everywhere, so tests can capture or silence it.
 */

/** Fields attached to a log line. */
export type LogFields = Readonly<Record<string, string | number | bigint | boolean | undefined>>;

/** Where log lines go. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

function format(level: string, msg: string, fields?: LogFields): string {
  const parts = [new Date().toISOString(), level, msg];
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v === undefined) continue;
    const s = String(v);
    parts.push(`${k}=${/[\s"]/.test(s) ? JSON.stringify(s) : s}`);
  }
  return parts.join(" ");
}

/** A logger writing to a stream (stderr by default). */
export function streamLogger(write: (line: string) => void = (l) => process.stderr.write(l + "\n")): Logger {
  return {
    info: (m, f) => write(format("INFO", m, f)),
    warn: (m, f) => write(format("WARN", m, f)),
    error: (m, f) => write(format("ERROR", m, f)),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
