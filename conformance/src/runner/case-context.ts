/** What an operation sees while a case runs, and the shape of an operation. */
import type { AdapterProcess } from "../adapter/adapter-process.js";
import type { Bindings } from "../case-format/bindings.js";
import type { ConformanceCase, Outcome } from "../case-format/case-types.js";
import type { ClusterUnderTest } from "../cluster/cluster-under-test.js";

/** What a whole run provides to every case. */
export interface RunEnvironment {
  /** Working directory for commands (the repository root for our own adapter and driver). */
  readonly cwd: string;
  /** The server adapter, when the run includes cases that need a cluster. */
  readonly adapter?: AdapterProcess;
  /** Shell command that starts the client driver (client cases). */
  readonly driverCommand?: string;
  /** What the implementations said they are (`hello`), by side, for the report. Filled in as cases run. */
  readonly implementations?: Map<"server" | "client", string>;
}

/** The state of one case run, passed to every operation. */
export interface CaseContext {
  readonly case: ConformanceCase;
  readonly env: RunEnvironment;
  readonly bindings: Bindings;
  /** Aborted when the case times out or fails; long operations must stop on it. */
  readonly signal: AbortSignal;
  /** Adds a line to the case's log (shown for failed cases). */
  log(line: string): void;
  /** Registers cleanup, run in reverse order when the case ends, pass or fail. */
  defer(cleanup: () => Promise<unknown> | unknown): void;
  /** The case's cluster. @throws Error when the case has no `cluster:` block. */
  cluster(): ClusterUnderTest;
  /** Per-case state of a side's operations (streams, watchers, the driver, fake servers), by key. */
  readonly state: Map<string, unknown>;
  /** Runs nested steps (for `repeat` and similar). */
  runSteps(steps: readonly unknown[], path: string): Promise<void>;
}

/**
 * An operation: takes its arguments (references already resolved) and returns an
 * outcome. Throwing means the harness itself failed (an adapter that died, a case
 * that is wrong); it fails the case like a mismatch does.
 */
export type OpHandler = (args: Readonly<Record<string, unknown>>, ctx: CaseContext) => Promise<Outcome>;

/** A named set of operations. */
export type OpTable = Readonly<Record<string, OpHandler>>;

/** What one side (server or client) brings to a case run. */
export interface SideModule {
  /** Every operation its cases may use (the core operations included). */
  readonly ops: OpTable;
  /** Runs after the cluster (if any) started and before the first step: fake servers, the driver. */
  readonly setUp?: (ctx: CaseContext) => Promise<void>;
}

/** Arguments of a step whose references are resolved only when the nested steps run. */
export const lazyArgs: ReadonlySet<string> = new Set(["steps", "call"]);

/** Shorthand for an `ok` outcome. */
export function ok(value: unknown = {}): Outcome {
  return { ok: value };
}
