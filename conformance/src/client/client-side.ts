/**
 * The client side of the suite: the operations client cases use and the `setUp` that
 * starts the fake servers (Tier A) and the driver of the client under test.
 */
import type { OpTable, SideModule } from "../runner/case-context.js";
import { coreOps } from "../ops/core-ops.js";
import { failPointOp } from "../server/fail-point-op.js";
import { backgroundOps } from "./background-ops.js";
import { checkClientHistoryOp } from "./check-client-history-op.js";
import { clusterOps } from "./cluster-ops.js";
import { driverCallOps } from "./driver-call-ops.js";
import { eventsOp } from "./events-op.js";
import { requestsOp } from "./fake-server/requests-op.js";
import { listenerOps } from "./listener-ops.js";
import { retryGapsOp } from "./retry-gaps-op.js";
import { setUpClient } from "./set-up-client.js";
import { tokensOp } from "./tokens-op.js";

/** Operations that drive the client under test and inspect what it did (and what the fake servers received). */
export const clientOps: OpTable = {
  ...driverCallOps,
  ...backgroundOps,
  ...listenerOps,
  ...clusterOps,
  events: eventsOp,
  checkClientHistory: checkClientHistoryOp,
  tokens: tokensOp,
  failPoint: failPointOp,
  requests: requestsOp,
  retryGaps: retryGapsOp,
};

/** Operations of client cases. */
export const clientSide: SideModule = { ops: { ...coreOps, ...clientOps }, setUp: setUpClient };
