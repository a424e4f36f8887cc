/** The server side of the suite: the operations server cases use. */
import type { SideModule } from "../runner/case-context.js";
import { coreOps } from "../ops/core-ops.js";

/** Operations of server cases. */
export const serverSide: SideModule = { ops: { ...coreOps } };
