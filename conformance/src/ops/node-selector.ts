/**
 * How steps name nodes: an id (`n1`), `leader` (the agreed leader, waited for), or
 * `follower` / `follower2` (the first / second running node that is not the agreed
 * leader, in id order). Saved outcomes of `waitLeader` give ids too:
 * `node: ${l.ok.node}`.
 */
import type { CaseContext } from "../runner/case-context.js";

/** Resolves a selector to a node id. @throws Error for an unknown id or when no such node exists. */
export async function resolveNode(ctx: CaseContext, selector: unknown): Promise<string> {
  if (typeof selector !== "string" || selector === "") throw new Error(`a node selector must be a non-empty string, got ${JSON.stringify(selector)}`);
  const cluster = ctx.cluster();
  if (cluster.ids.includes(selector)) return selector;
  if (selector === "leader") return (await cluster.leader()).node;
  const m = /^follower(\d*)$/.exec(selector);
  if (m) {
    const k = m[1] ? Number(m[1]) : 1;
    const { node: leader } = await cluster.leader();
    const followers = cluster.running().filter((id) => id !== leader);
    const pick = followers[k - 1];
    if (!pick) throw new Error(`no ${selector}: running followers are ${followers.join(", ") || "none"}`);
    return pick;
  }
  throw new Error(`unknown node "${selector}" (nodes: ${cluster.ids.join(", ")}; or leader, follower, follower2)`);
}

/** Resolves a list of selectors (or one selector) to distinct ids. */
export async function resolveNodes(ctx: CaseContext, selectors: unknown): Promise<string[]> {
  const list = Array.isArray(selectors) ? selectors : [selectors];
  const ids: string[] = [];
  for (const s of list) ids.push(await resolveNode(ctx, s));
  return [...new Set(ids)];
}
