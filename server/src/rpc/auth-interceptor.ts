/**
 * Authentication for every RPC but health: one interceptor, one table of who
 * may call what, one generic error so a caller learns nothing about why a
 * token failed (DESIGN §6).
 */
import { createContextKey, type Interceptor } from "@connectrpc/connect";
import type { Caller, TokenTable } from "../auth/token-table.js";
import type { TokenKind } from "../auth/token-secret.js";
import { HubError } from "../hub-error.js";
import { toConnectError } from "./error-table.js";

/** The authenticated caller of the current RPC. */
export const callerKey = createContextKey<Caller | undefined>(undefined, { description: "synod caller" });

/** Who may call each method; methods not listed need an admin token. */
const access: Readonly<Record<string, readonly TokenKind[] | "public">> = {
  "synod.v1.HubService/Append": ["client", "admin"],
  "synod.v1.HubService/Read": ["client", "admin"],
  "synod.v1.HubService/Listen": ["client", "admin"],
  "synod.v1.HubService/Status": ["client", "admin"],
  "synod.v1.ClusterService/Status": ["client", "admin"],
  // Join carries its join token in the request body; the handler checks it.
  "synod.v1.ClusterService/Join": "public",
  // Test-only fault injection (served only with --enable-test-control): admin, like the default, but said out loud.
  "synod.v1.ControlService/SetFailPoint": ["admin"],
  "synod.v1.ControlService/ListFailPoints": ["admin"],
};

/** Extracts the secret from `authorization: Bearer <secret>`. */
export function bearerSecret(header: string | null): string | undefined {
  const m = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return m?.[1];
}

/** The interceptor: authenticates, authorizes, and puts the caller in context. */
export function authInterceptor(tokens: () => TokenTable): Interceptor {
  return (next) => async (req) => {
    const rule = access[`${req.service.typeName}/${req.method.name}`] ?? ["admin"];
    if (rule === "public") return next(req);
    const secret = bearerSecret(req.header.get("authorization"));
    const caller = secret === undefined ? undefined : tokens().authenticate(secret);
    if (!caller) throw toConnectError(new HubError({ kind: "unauthenticated" }, "missing or invalid token"));
    if (!rule.includes(caller.kind)) {
      throw toConnectError(new HubError({ kind: "permissionDenied" }, "this token may not call " + req.method.name));
    }
    req.contextValues.set(callerKey, caller);
    return next(req);
  };
}
