/**
 * Expectations: a pattern matched against an outcome. Objects match partially
 * (keys absent from the pattern are ignored); arrays match element by element and
 * must have the same length; scalars match by equality, where an integer written
 * as a number matches the same integer written as a decimal string (64-bit values
 * are strings in outcomes, as in the protobuf JSON mapping).
 *
 * Operators, each an object with one `$` key:
 * `$exists: bool`, `$ne: v`, `$gt` `$gte` `$lt` `$lte: n` (integers, compared exactly),
 * `$oneOf: [p…]`, `$len: n` (array or string length), `$contains: p` (some element
 * matches), `$all: p` (every element matches), `$regex: "…"`, `$unique: true` (array
 * elements pairwise different), `$sorted: true` (array ascending, integers),
 * `$and: [p…]`.
 */

/** One difference between an outcome and its pattern. */
export interface Mismatch {
  /** Where, such as `ok.results[0].seq`. */
  readonly path: string;
  readonly message: string;
}

const intLike = /^-?\d+$/;

function asBigInt(v: unknown): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (typeof v === "string" && intLike.test(v)) return BigInt(v);
  return undefined;
}

function show(v: unknown): string {
  const s = JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
  return s === undefined ? String(v) : s.length > 160 ? `${s.slice(0, 160)}…` : s;
}

function isOperator(p: unknown): p is Record<string, unknown> {
  if (p === null || typeof p !== "object" || Array.isArray(p)) return false;
  const keys = Object.keys(p);
  return keys.length > 0 && keys.every((k) => k.startsWith("$"));
}

/** Every way `actual` fails to match `pattern` (empty when it matches). */
export function match(actual: unknown, pattern: unknown, path = ""): Mismatch[] {
  if (isOperator(pattern)) return Object.entries(pattern).flatMap(([op, arg]) => matchOperator(actual, op, arg, path));
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
    if (actual.length !== pattern.length) return [{ path, message: `expected ${pattern.length} elements, got ${actual.length}: ${show(actual)}` }];
    return pattern.flatMap((p, i) => match(actual[i], p, `${path}[${i}]`));
  }
  if (pattern !== null && typeof pattern === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [{ path, message: `expected an object like ${show(pattern)}, got ${show(actual)}` }];
    return Object.entries(pattern).flatMap(([k, p]) => {
      const sub = path ? `${path}.${k}` : k;
      if (!(k in actual)) return isOperator(p) && p.$exists === false ? [] : [{ path: sub, message: `missing (expected ${show(p)}); got ${show(actual)}` }];
      return match((actual as Record<string, unknown>)[k], p, sub);
    });
  }
  const a = asBigInt(actual);
  const b = asBigInt(pattern);
  if (a !== undefined && b !== undefined) return a === b ? [] : [{ path, message: `expected ${show(pattern)}, got ${show(actual)}` }];
  return actual === pattern ? [] : [{ path, message: `expected ${show(pattern)}, got ${show(actual)}` }];
}

function compare(actual: unknown, op: string, arg: unknown, path: string): Mismatch[] {
  const a = asBigInt(actual);
  const b = asBigInt(arg);
  if (a === undefined || b === undefined) return [{ path, message: `${op} needs integers, got ${show(actual)} and ${show(arg)}` }];
  const ok = op === "$gt" ? a > b : op === "$gte" ? a >= b : op === "$lt" ? a < b : a <= b;
  return ok ? [] : [{ path, message: `expected ${op.slice(1)} ${show(arg)}, got ${show(actual)}` }];
}

function matchOperator(actual: unknown, op: string, arg: unknown, path: string): Mismatch[] {
  switch (op) {
    case "$exists":
      return (actual !== undefined) === arg ? [] : [{ path, message: arg ? "missing" : `expected absent, got ${show(actual)}` }];
    case "$ne":
      return match(actual, arg, path).length > 0 ? [] : [{ path, message: `expected anything but ${show(arg)}` }];
    case "$gt":
    case "$gte":
    case "$lt":
    case "$lte":
      return compare(actual, op, arg, path);
    case "$oneOf":
      return (arg as unknown[]).some((p) => match(actual, p, path).length === 0) ? [] : [{ path, message: `expected one of ${show(arg)}, got ${show(actual)}` }];
    case "$len": {
      const len = Array.isArray(actual) || typeof actual === "string" ? actual.length : undefined;
      return len !== undefined && match(len, arg, path).length === 0 ? [] : [{ path, message: `expected length ${show(arg)}, got ${show(len ?? actual)}` }];
    }
    case "$contains":
      return Array.isArray(actual) && actual.some((x) => match(x, arg, path).length === 0) ? [] : [{ path, message: `expected an element matching ${show(arg)} in ${show(actual)}` }];
    case "$all":
      if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
      return actual.flatMap((x, i) => match(x, arg, `${path}[${i}]`));
    case "$regex":
      return typeof actual === "string" && new RegExp(String(arg)).test(actual) ? [] : [{ path, message: `expected text matching /${String(arg)}/, got ${show(actual)}` }];
    case "$unique": {
      if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
      const seen = new Set(actual.map(show));
      return (seen.size === actual.length) === arg ? [] : [{ path, message: `expected ${arg ? "" : "not "}all different: ${show(actual)}` }];
    }
    case "$sorted": {
      if (!Array.isArray(actual)) return [{ path, message: `expected an array, got ${show(actual)}` }];
      const nums = actual.map(asBigInt);
      const sorted = nums.every((n, i) => n !== undefined && (i === 0 || (nums[i - 1] as bigint) <= n));
      return sorted === arg ? [] : [{ path, message: `expected ${arg ? "" : "not "}ascending: ${show(actual)}` }];
    }
    case "$and":
      return (arg as unknown[]).flatMap((p) => match(actual, p, path));
    default:
      return [{ path, message: `unknown operator ${op}` }];
  }
}
