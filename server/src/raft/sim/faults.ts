/**
 * The test-only fault toggles, by name, for the teeth tests and the CLI. Each breaks
 * exactly one safety rule; the simulator must catch every one of them.
 */
import type { TestFaults } from "../state.js";
import type { SimFaults } from "./params.js";

/** The names of the toggles. */
export const faultNames = ["voteTwice", "commitOldTermByCount", "skipUpToDateCheck", "sendBeforePersist"] as const;

/** One toggle's name. */
export type FaultName = (typeof faultNames)[number];

/** The options that switch on one toggle. */
export function faultOptions(name: FaultName): TestFaults & SimFaults {
  return { [name]: true };
}
