/**
 * Broken-invariant checks (CONVENTIONS, "Two kinds of error"). A failed invariant
 * means a bug: the process must stop and recover from disk, never carry on.
 */

/** Thrown when an internal invariant does not hold. Not retryable. */
export class RaftInvariantError extends Error {
  override readonly name = "RaftInvariantError";
}

/** Throws a RaftInvariantError with `message` unless `condition` holds. */
export function invariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new RaftInvariantError(message);
}
