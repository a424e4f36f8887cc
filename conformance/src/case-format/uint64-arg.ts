/**
 * 64-bit step arguments (seqs, cursors). Cases may write them as numbers or decimal
 * strings (docs/conformance.md, "Outcomes"); a saved outcome's seq is a decimal
 * string, so `${a.ok.results[0].seq}` arrives as one. One parser for both sides.
 */

/** The largest value a 64-bit unsigned argument may hold, exclusive. */
const uint64Limit = 2n ** 64n;

/**
 * A 64-bit unsigned step argument as a bigint, or undefined when the step left it out.
 * @param field the argument's name, for the error message
 * @throws Error naming `field` for anything but a safe non-negative integer number or a
 *   decimal string below 2^64
 */
export function uint64Arg(value: unknown, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d+$/.test(value) && BigInt(value) < uint64Limit) return BigInt(value);
  throw new Error(`${field} must be an unsigned 64-bit integer (a number or a decimal string), got ${JSON.stringify(value)}`);
}
