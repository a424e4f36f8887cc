/**
 * The client side's `setUp`: starts the case's fake servers (Tier A) or waits until
 * every node of the live cluster accepts the admin token (Tier B, the same readiness
 * as server cases), then starts the driver of the client under test and connects it
 * to the peers of the `client:` block.
 */
import { DriverProcess } from "../driver/driver-process.js";
import type { CaseContext } from "../runner/case-context.js";
import { waitClusterReady } from "../cluster/cluster-ready.js";
import { connectRequestOf } from "./client-block.js";
import { clientSessionKey, newClientSession } from "./client-session.js";
import { startFakeServers } from "./fake-server/start-fake-servers.js";
import { fakeServersKey, type FakeServers } from "./fake-servers-api.js";

/** How long `connect` may take, ms (the client need not reach a node to answer). */
const connectTimeoutMs = 30_000;

async function startFakeServersOf(ctx: CaseContext): Promise<FakeServers | undefined> {
  const spec = ctx.case.fakeServers;
  if (spec === undefined) return undefined;
  const fake = await startFakeServers(spec, ctx);
  ctx.state.set(fakeServersKey, fake);
  ctx.defer(() => fake.close()); // idempotent; the fake servers also defer their own close
  return fake;
}

/**
 * Starts everything a client case needs; cleanup is deferred (the driver is closed,
 * and killed when it does not exit, before the fake servers and the cluster stop).
 * @throws Error when the run has no driver command, the driver does not start, or
 *   `connect` is refused.
 */
export async function setUpClient(ctx: CaseContext): Promise<void> {
  const fake = await startFakeServersOf(ctx);
  if (ctx.case.cluster !== undefined) await waitClusterReady(ctx);
  const command = ctx.env.driverCommand;
  if (command === undefined) throw new Error("this is a client case but the run has no driver command");
  const driver = await DriverProcess.start({ command, cwd: ctx.env.cwd, onStderr: (line) => ctx.log(`driver stderr: ${line}`) });
  ctx.defer(() => driver.close());
  ctx.state.set(clientSessionKey, newClientSession(driver));
  const request = await connectRequestOf(ctx, fake);
  const outcome = await driver.call("connect", request, connectTimeoutMs);
  if ("error" in outcome) throw new Error(`the driver refused connect: ${JSON.stringify(outcome.error)}`);
  ctx.log(`driver ${driver.implementation} connected to ${request.peers.join(", ")}`);
  ctx.env.implementations?.set("client", driver.implementation);
}
