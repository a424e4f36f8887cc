/**
 * `@synod/sdk`: the failover-aware Synod client core, shared by the Node
 * (`@synod/sdk/node`) and browser (`@synod/sdk/web`) entry points, which only
 * add a transport (DESIGN §7).
 */
export { createClient, SynodClient } from "./client.js";
export type { ClientOptions, TransportFactory } from "./options.js";
export type * from "./model.js";
export { SynodError, ERROR_KINDS, isSynodError } from "./core/synod-error.js";
export type { ErrorKind, Failure, FieldViolation, NotLeaderHint, SynodErrorDetails } from "./core/synod-error.js";
export { WIRE_ERROR_TABLE, toSynodError } from "./core/error-table.js";
export type { WireErrorRule, WireSignal } from "./core/error-table.js";
export type { ClientEvents, ClientEventName, ClientEventListener } from "./core/events.js";
export type { LeaderView } from "./core/leader-tracker.js";
export type { Clock, Random } from "./core/clock.js";
export type { Scheduler } from "./runtime.js";
export type { BackoffOptions } from "./core/backoff.js";
export type { RetryBudgetOptions } from "./core/retry-budget.js";
export type { CallKind } from "./core/call-state.js";
export { asSeq, asTerm } from "./core/seq.js";
export type { Seq, Term } from "./core/seq.js";
export { Code } from "@connectrpc/connect";
