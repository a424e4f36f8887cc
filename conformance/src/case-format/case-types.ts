/**
 * The conformance case format, version 1 (`format: synod-conformance/v1`). Cases are
 * YAML files under conformance/cases/, checked against conformance/schema/*.json
 * before anything runs. docs/conformance.md describes every field and operation.
 */
import type { ClusterSpec } from "../cluster/cluster-under-test.js";

/** The format tag every case file starts with. */
export const caseFormat = "synod-conformance/v1";

/** Which implementation a case checks. */
export type CaseSide = "server" | "client";

/**
 * `fast` cases run in `npm test`; `full` cases only in a full run (CI, or
 * `synod-conformance --tier full`).
 */
export type CaseTier = "fast" | "full";

/**
 * One step: an operation name, its arguments, and optionally a name to save the
 * outcome under and an expectation the outcome must match.
 */
export interface Step {
  readonly op: string;
  /** Saves the outcome (`{ok: …}` or `{error: …}`) as a binding for later steps. */
  readonly save?: string;
  /**
   * A partial pattern the outcome must match (see match.ts). Without it, the step
   * passes on any `ok` outcome and fails on an `error` outcome.
   */
  readonly expect?: unknown;
  readonly [arg: string]: unknown;
}

/** A parsed, schema-checked case. */
export interface ConformanceCase {
  readonly format: typeof caseFormat;
  /** Unique, dotted: `server.dedup.across-failover`. Known-failing lists use it. */
  readonly id: string;
  readonly side: CaseSide;
  readonly tier: CaseTier;
  /** For client cases: `fake` (Tier A, scripted fake servers) or `live` (Tier B, a cluster). */
  readonly network?: "fake" | "live";
  readonly title: string;
  /** What the case checks and why, for the report and for implementers. */
  readonly description?: string;
  /** The rule it checks: a DESIGN or protocol section. */
  readonly spec?: string;
  /** A cluster of the server under test (server cases and live client cases). */
  readonly cluster?: ClusterSpec;
  /** Scripted fake servers (client cases, `network: fake`). Shape defined by the client side. */
  readonly fakeServers?: Readonly<Record<string, unknown>>;
  /** How the client under test is created (client cases). Shape defined by the client side. */
  readonly client?: Readonly<Record<string, unknown>>;
  /** Whole-case deadline, ms; default 60000. */
  readonly timeoutMs?: number;
  readonly steps: readonly Step[];
  /** The file it came from (set by the loader). */
  readonly file: string;
}

/** The outcome of an operation: what expectations are matched against. */
export type Outcome = { readonly ok: unknown } | { readonly error: unknown };
