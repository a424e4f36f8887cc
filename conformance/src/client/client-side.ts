/** The client side of the suite: the operations client cases use. */
import type { SideModule } from "../runner/case-context.js";
import { coreOps } from "../ops/core-ops.js";

/** Operations of client cases. */
export const clientSide: SideModule = { ops: { ...coreOps } };
