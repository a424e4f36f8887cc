/** A broken DESIGN §9 invariant found by the simulator. */
export class SimViolation extends Error {
  override readonly name = "SimViolation";

  /** `invariant` names the rule (e.g. "§9.1 one leader per term"). */
  constructor(
    readonly invariant: string,
    detail: string,
  ) {
    super(`${invariant}: ${detail}`);
  }
}

/** Throws a SimViolation unless `ok`. */
export function check(ok: boolean, invariant: string, detail: () => string): void {
  if (!ok) throw new SimViolation(invariant, detail());
}
