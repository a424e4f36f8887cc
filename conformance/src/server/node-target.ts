/**
 * Where a server step sends its call: any node selector of node-selector.ts (`n2`,
 * `leader`, `follower`), or a node's client URL, so a case can follow a NotLeader
 * hint exactly as a client would (`node: ${e.error.notLeader.leaderUrl}`).
 */
import { resolveNode } from "../ops/node-selector.js";
import type { CaseContext } from "../runner/case-context.js";

/**
 * Resolves a selector or a client URL to a node id.
 * @throws Error for a URL that is no node's client URL, and as resolveNode does.
 */
export async function resolveTarget(ctx: CaseContext, selector: unknown): Promise<string> {
  if (typeof selector === "string" && /^https?:\/\//.test(selector)) {
    const id = ctx.cluster().nodeAt(selector);
    if (id === undefined) throw new Error(`${selector} is not the client URL of any node (nodes: ${ctx.cluster().ids.map((n) => `${n}=${ctx.cluster().url(n)}`).join(", ")})`);
    return id;
  }
  return resolveNode(ctx, selector);
}
