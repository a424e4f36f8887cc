/** Printing helpers shared by the commands. */

/** JSON with bigints as decimal strings (DESIGN §3: 64-bit values in JSON are strings). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** One line for an error, without a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const kind = (err as { kind?: string }).kind;
    return kind ? `${err.message} (${kind})` : err.message;
  }
  return String(err);
}

/** Left-aligned columns. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ")).join("\n");
}

/** A duration in ms as `3h42m`, `5m10s` or `12s`. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h}h${m}m`;
  if (m > 0) return `${m}m${s % 60}s`;
  return `${s}s`;
}
