/**
 * The per-case state of the client side: the driver of the client under test, the
 * append history, and the calls running in the background. Created by the client
 * side's `setUp` and kept in `CaseContext.state`.
 */
import type { Outcome } from "../case-format/case-types.js";
import type { DriverProcess } from "../driver/driver-process.js";
import type { CaseContext } from "../runner/case-context.js";
import { ClientHistory } from "./client-history.js";

/** How a background call (`start`) ended: its outcome, or the harness error it threw. */
export type BackgroundResult = { readonly outcome: Outcome } | { readonly thrown: Error };

/** A call started with `start`. */
export interface BackgroundCall {
  readonly op: string;
  /** Settles when the call ends; never rejects. */
  readonly result: Promise<BackgroundResult>;
}

/** The client side's state for one case. */
export interface ClientSession {
  readonly driver: DriverProcess;
  readonly history: ClientHistory;
  readonly background: Map<string, BackgroundCall>;
}

/** Key of the {@link ClientSession} in `CaseContext.state`. */
export const clientSessionKey = "client.session";

/** Creates the session of a case. */
export function newClientSession(driver: DriverProcess): ClientSession {
  return { driver, history: new ClientHistory(), background: new Map() };
}

/** The session of a case. @throws Error when the client side's setUp did not run. */
export function clientSession(ctx: CaseContext): ClientSession {
  const s = ctx.state.get(clientSessionKey) as ClientSession | undefined;
  if (!s) throw new Error("no client under test in this case (the client side's setUp did not run)");
  return s;
}
