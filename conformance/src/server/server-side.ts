/**
 * The server side of the suite (DESIGN §8): the operations server cases use, on top
 * of the core ones. Each is documented in its file and in
 * conformance/schema/ops-server.v1.schema.json.
 */
import type { OpTable, SideModule } from "../runner/case-context.js";
import { coreOps } from "../ops/core-ops.js";
import { appendOp } from "./append-op.js";
import { callMatrixOp } from "./call-matrix-op.js";
import { checkHistoryOp } from "./check-history-op.js";
import { waitClusterReady } from "../cluster/cluster-ready.js";
import { failPointOp } from "./fail-point-op.js";
import { listenOps } from "./listen-ops.js";
import { logOp } from "./log-op.js";
import { rawHttpOp } from "./raw-http-op.js";
import { readOp } from "./read-op.js";
import { statusOp } from "./status-op.js";
import { stepdownOp } from "./stepdown-op.js";
import { watchHintsOps } from "./watch-hints-ops.js";

/** The operations only server cases use. */
export const serverOps: OpTable = {
  append: appendOp,
  read: readOp,
  log: logOp,
  status: statusOp,
  ...listenOps,
  stepdown: stepdownOp,
  failPoint: failPointOp,
  ...watchHintsOps,
  callMatrix: callMatrixOp,
  http: rawHttpOp,
  checkHistory: checkHistoryOp,
};

/** Operations of server cases. */
export const serverSide: SideModule = { ops: { ...coreOps, ...serverOps }, setUp: waitClusterReady };
