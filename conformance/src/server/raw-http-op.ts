/**
 * `http`: one raw HTTP/1.1 request to a node's client port, for what a reference
 * client hides: CORS preflights and headers, and the exact text of Connect JSON
 * bodies (64-bit numbers must be decimal strings there; protocol.md).
 */
import http from "node:http";
import type { OpHandler } from "../runner/case-context.js";
import { badToken } from "./call-choice.js";
import { resolveTarget } from "./node-target.js";

/** Largest response body kept, bytes. */
export const rawBodyBytesMax = 4 * 1024 * 1024;
const timeoutMsDefault = 10_000;

/** A raw response. */
interface RawResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: string;
}

function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, signal, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > rawBodyBytesMax) req.destroy(new Error(`response body over ${rawBodyBytesMax} bytes`));
        else chunks.push(c);
      });
      res.on("end", () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no response within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Each header as a list of its comma-separated values, trimmed and lower-cased, so a
 * case can expect `{$contains: authorization}` in `access-control-allow-headers`
 * whatever case and order the server writes (header names and these values are
 * case-insensitive in HTTP).
 */
export function headerLists(headers: Readonly<Record<string, string>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.split(",").map((x) => x.trim().toLowerCase()).filter((x) => x !== "")]));
}

/**
 * `http {node, method?, path, headers?, body?, token?: none|admin|bad, timeoutMs?}`:
 * `body` is sent as is when a string, else as JSON (with `content-type:
 * application/json` unless given). Outcome `{status, headers, headerLists, body, json?}` (`json`
 * when the body parses as JSON), or `{error: {code: "transport", message}}` when no
 * response came.
 */
export const rawHttpOp: OpHandler = async (args, ctx) => {
  const node = await resolveTarget(ctx, args.node);
  if (typeof args.path !== "string" || !args.path.startsWith("/")) throw new Error("http needs a path starting with /");
  const url = new URL(args.path, `${ctx.cluster().url(node)}/`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((args.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  let body: string | undefined;
  if (typeof args.body === "string") body = args.body;
  else if (args.body !== undefined) {
    body = JSON.stringify(args.body);
    headers["content-type"] ??= "application/json";
  }
  const token = args.token ?? "none";
  if (token === "admin") headers.authorization = `Bearer ${ctx.cluster().adminToken}`;
  else if (token === "bad") headers.authorization = `Bearer ${badToken}`;
  else if (token !== "none") throw new Error(`token must be none, admin or bad, got ${JSON.stringify(token)}`);
  try {
    const res = await send(url, typeof args.method === "string" ? args.method.toUpperCase() : "GET", headers, body, typeof args.timeoutMs === "number" ? args.timeoutMs : timeoutMsDefault, ctx.signal);
    let json: unknown;
    try {
      json = res.body === "" ? undefined : JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { ok: { ...res, headerLists: headerLists(res.headers), ...(json !== undefined ? { json } : {}) } };
  } catch (err) {
    return { error: { code: "transport", message: err instanceof Error ? err.message : String(err) } };
  }
};
