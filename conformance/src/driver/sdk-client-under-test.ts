/**
 * Synod's TypeScript SDK (`@synod/sdk/node`) behind the driver contract: the client
 * adapter of conformance/drivers/synod-sdk-driver.ts. The broken fixtures reuse it
 * and replace one operation each.
 */
import { readFileSync } from "node:fs";
import { createClient, type NodeClientOptions, type SynodClient } from "@synod/sdk/node";
import type { ClientEventName } from "@synod/sdk";
import type { ClientUnderTest, ConnectedClient, EventSink } from "./client-under-test.js";
import { driverEventNames, type AppendRequest, type ConnectRequest, type DriverBatch, type ListenRequest, type ReadRequest, type RegisterRequest, type StatusRequest } from "./driver-contract.js";
import { appendOkOf, batchOf, describeSdkError, eventDataOf, readOkOf, registerOkOf, statusOkOf } from "./sdk-outcome.js";

const sdkVersion = (JSON.parse(readFileSync(new URL("../../../sdk/package.json", import.meta.url), "utf8")) as { version: string }).version;

/** The SDK's `createClient` options for a `connect` request. */
export function sdkOptionsOf(request: ConnectRequest): NodeClientOptions {
  const o = request.options ?? {};
  return {
    peers: request.peers,
    ...(request.token !== undefined ? { token: request.token } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.attemptTimeoutMs !== undefined ? { attemptTimeoutMs: o.attemptTimeoutMs } : {}),
    ...(o.maxRedirects !== undefined ? { maxRedirects: o.maxRedirects } : {}),
    ...(o.backoff !== undefined ? { backoff: o.backoff } : {}),
    ...(o.retryBudget !== undefined ? { retryBudget: o.retryBudget } : {}),
    ...(o.heartbeatMs !== undefined ? { heartbeatMs: o.heartbeatMs } : {}),
    ...(o.silenceFactor !== undefined ? { silenceFactor: o.silenceFactor } : {}),
    ...(o.refreshPeersMs !== undefined ? { refreshPeersMs: o.refreshPeersMs } : {}),
    ...(o.httpVersion !== undefined ? { httpVersion: o.httpVersion } : {}),
  };
}

/** The SDK as a {@link ClientUnderTest}. */
export class SdkClientUnderTest implements ClientUnderTest {
  readonly implementation = `@synod/sdk ${sdkVersion} (node)`;

  connect(request: ConnectRequest, emit: EventSink): SdkConnectedClient {
    const client = createClient(sdkOptionsOf(request));
    for (const name of driverEventNames) {
      client.on(name as ClientEventName, (payload) => emit(name, eventDataOf(name as ClientEventName, payload) as never));
    }
    return new SdkConnectedClient(client);
  }

  describeError(error: unknown): ReturnType<typeof describeSdkError> {
    return describeSdkError(error);
  }
}

/** A connected SDK client. */
export class SdkConnectedClient implements ConnectedClient {
  constructor(readonly client: SynodClient) {}

  async append(r: AppendRequest): ReturnType<ConnectedClient["append"]> {
    const entries = r.entries.map((e) => ({ type: e.type, content: e.content, ...(e.id !== undefined ? { id: e.id } : {}) }));
    const results = await this.client.append(entries, {
      ...(r.writeConcern !== undefined ? { writeConcern: r.writeConcern } : {}),
      ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
    });
    return appendOkOf(results);
  }

  async read(r: ReadRequest): ReturnType<ConnectedClient["read"]> {
    return readOkOf(
      await this.client.read({
        ...(r.afterSeq !== undefined ? { afterSeq: BigInt(r.afterSeq) } : {}),
        ...(r.limit !== undefined ? { limit: r.limit } : {}),
        ...(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}),
      }),
    );
  }

  async status(r: StatusRequest): ReturnType<ConnectedClient["status"]> {
    return statusOkOf(await this.client.status(r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}));
  }

  async register(r: RegisterRequest): ReturnType<ConnectedClient["register"]> {
    return registerOkOf(await this.client.register(r.name, r.timeoutMs !== undefined ? { timeoutMs: r.timeoutMs } : {}));
  }

  async *listen(r: ListenRequest, signal: AbortSignal): AsyncIterable<DriverBatch> {
    const batches = this.client.listen({
      signal,
      ...(r.afterSeq !== undefined ? { afterSeq: BigInt(r.afterSeq) } : {}),
      ...(r.heartbeatMs !== undefined ? { heartbeatMs: r.heartbeatMs } : {}),
    });
    for await (const batch of batches) yield batchOf(batch);
  }

  close(): void {
    this.client.close();
  }
}
