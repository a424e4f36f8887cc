/**
 * Reference clients of a node, one per service and transport choice, cached for the
 * length of a case (HTTP/2 sessions are reused; the nodes die with the case).
 */
import type { DescService } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { referenceClient } from "../reference-client/reference-transport.js";
import type { CaseContext } from "../runner/case-context.js";
import { choiceLabel, transportChoice, type CallChoice } from "./call-choice.js";
import { registeredClientToken } from "./client-token.js";

const defaultChoice: CallChoice = { protocol: "connect", http: "2", json: false, token: "admin" };

/**
 * A client of `service` on node `id`, over `choice` (default: Connect, binary, HTTP/2, admin token).
 * @throws Error for `token: client` before the case registered its client token (client-token.ts).
 */
export function nodeClient<S extends DescService>(ctx: CaseContext, service: S, id: string, choice: CallChoice = defaultChoice): Client<S> {
  const cluster = ctx.cluster();
  const url = cluster.url(id);
  const key = `client:${service.typeName}:${url}:${choiceLabel(choice)}`;
  let c = ctx.state.get(key) as Client<S> | undefined;
  if (!c) {
    c = referenceClient(service, url, transportChoice(choice, { admin: cluster.adminToken, client: registeredClientToken(ctx) }));
    ctx.state.set(key, c);
  }
  return c;
}
