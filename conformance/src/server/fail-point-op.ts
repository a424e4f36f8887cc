/** `failPoint`: arms or clears a test-only fail point through ControlService (docs/protocol.md). */
import { ControlService } from "@synod/proto/control";
import type { OpHandler } from "../runner/case-context.js";
import { errorOutcome } from "./error-outcome.js";
import { nodeClient } from "./node-clients.js";
import { resolveTarget } from "./node-target.js";

/** Client deadline of SetFailPoint, ms. */
const setTimeoutMs = 5_000;

/**
 * `failPoint {node, name, action, count?, delayMs?}`: SetFailPoint with the admin
 * token. `action` is off, error, drop, delay or crash; `count` firings (0 or absent:
 * until cleared). Outcome `{node, name, action}` or the error (a server without
 * test control answers `unimplemented`).
 */
export const failPointOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node);
  const failPoint = {
    name: String(args.name),
    action: String(args.action),
    count: typeof args.count === "number" ? args.count : 0,
    delayMs: typeof args.delayMs === "number" ? args.delayMs : 0,
  };
  try {
    await nodeClient(ctx, ControlService, node).setFailPoint({ failPoint }, { timeoutMs: setTimeoutMs, signal: ctx.signal });
    ctx.log(`fail point ${failPoint.name} on ${node}: ${failPoint.action}${failPoint.count ? ` ×${failPoint.count}` : ""}`);
    return { ok: { node, name: failPoint.name, action: failPoint.action } };
  } catch (err) {
    return errorOutcome(err);
  }
};
