/**
 * The driver side of the client driver contract (driver-contract.ts): reads
 * requests line by line, runs them concurrently against a {@link ClientUnderTest},
 * and writes replies, events and listener messages as JSON lines. Every TypeScript
 * driver (ours and the broken fixtures) is this loop plus a client adapter.
 */
import type { ClientUnderTest, ConnectedClient, EventSink } from "./client-under-test.js";
import {
  driverContractVersion,
  type ClientErrorJson,
  type DriverFault,
  type DriverRequest,
  type HelloOk,
  type ListenRequest,
} from "./driver-contract.js";

/** Where the loop reads requests and writes messages. */
export interface DriverChannel {
  /** Request lines (without their `\n`); the loop ends when they end. */
  readonly lines: AsyncIterable<string>;
  /** Writes one line of output (the loop adds no `\n`). */
  write(line: string): void;
  /** Diagnostics for stderr. */
  log?(line: string): void;
}

/** A request the loop cannot carry out; answered as a {@link DriverFault}. */
export class DriverFaultError extends Error {}

interface RunningListener {
  readonly controller: AbortController;
  /** Settles after the listener's `end` message was written. */
  readonly done: Promise<void>;
}

/** Serializes bigints as decimal strings (64-bit values, per the contract). */
function stringify(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

/**
 * Runs the loop until `close` or the end of input; resolves once every listener ended
 * and the client closed. Never rejects for a bad request: that is answered with a fault.
 */
export async function runDriverLoop(client: ClientUnderTest, channel: DriverChannel): Promise<void> {
  const loop = new DriverLoop(client, channel);
  for await (const line of channel.lines) {
    if (line.trim() === "") continue;
    const request = loop.parse(line);
    if (request === undefined) continue;
    if (request.op === "close") {
      await loop.shutDown();
      loop.reply(request.id, { ok: {} });
      return;
    }
    void loop.dispatch(request);
  }
  await loop.shutDown();
}

class DriverLoop {
  #connected: ConnectedClient | undefined;
  #connectedAtMs = 0;
  readonly #listeners = new Map<string, RunningListener>();

  constructor(
    private readonly client: ClientUnderTest,
    private readonly channel: DriverChannel,
  ) {}

  /** The request on a line, or undefined (logged) when it has no numeric id. */
  parse(line: string): DriverRequest | undefined {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.channel.log?.(`driver: ignoring a line that is not JSON: ${line.slice(0, 200)}`);
      return undefined;
    }
    if (typeof value !== "object" || value === null || typeof (value as { id?: unknown }).id !== "number") {
      this.channel.log?.(`driver: ignoring a request without a numeric id: ${line.slice(0, 200)}`);
      return undefined;
    }
    return value as DriverRequest;
  }

  /** Writes a reply. */
  reply(id: number, body: { ok: unknown } | { error: ClientErrorJson | DriverFault }): void {
    this.channel.write(stringify({ id, ...body }));
  }

  /** Runs one request to its reply (never rejects). */
  async dispatch(request: DriverRequest): Promise<void> {
    try {
      this.reply(request.id, { ok: await this.#perform(request) });
    } catch (error) {
      this.reply(request.id, { error: this.#errorOf(error) });
    }
  }

  #errorOf(error: unknown): ClientErrorJson | DriverFault {
    if (error instanceof DriverFaultError) return { fault: error.message };
    return this.client.describeError(error) ?? { fault: `the client threw an error outside its contract: ${describeThrown(error)}` };
  }

  async #perform(request: DriverRequest): Promise<unknown> {
    switch (request.op) {
      case "hello":
        return { implementation: this.client.implementation, contract: driverContractVersion } satisfies HelloOk;
      case "connect":
        return this.#connect(request);
      case "append":
        requireArray(request.entries, "entries");
        return this.#client().append(request);
      case "read":
        return this.#client().read(request);
      case "status":
        return this.#client().status(request);
      case "register":
        requireString(request.name, "name");
        return this.#client().register(request);
      case "listen":
        return this.#listen(request);
      case "cancel":
        requireString(request.listener, "listener");
        await this.#cancel(request.listener);
        return {};
      default:
        throw new DriverFaultError(`unknown op ${JSON.stringify((request as { op?: unknown }).op)}`);
    }
  }

  async #connect(request: Extract<DriverRequest, { op: "connect" }>): Promise<object> {
    if (this.#connected !== undefined) throw new DriverFaultError("connect was already called");
    if (!Array.isArray(request.peers) || request.peers.length === 0) throw new DriverFaultError("connect needs a non-empty peers array");
    this.#connectedAtMs = performance.now();
    const emit: EventSink = (name, data) => {
      this.channel.write(stringify({ event: name, data, atMs: Math.round(performance.now() - this.#connectedAtMs) }));
    };
    try {
      this.#connected = await this.client.connect(request, emit);
    } catch (error) {
      throw new DriverFaultError(`connect failed: ${describeThrown(error)}`);
    }
    return {};
  }

  #client(): ConnectedClient {
    if (this.#connected === undefined) throw new DriverFaultError("connect first");
    return this.#connected;
  }

  #listen(request: ListenRequest): object {
    requireString(request.listener, "listener");
    const client = this.#client();
    const name = request.listener;
    if (this.#listeners.has(name)) throw new DriverFaultError(`listener ${name} already exists`);
    const controller = new AbortController();
    const done = this.#iterate(client, request, controller.signal);
    this.#listeners.set(name, { controller, done });
    return {};
  }

  async #iterate(client: ConnectedClient, request: ListenRequest, signal: AbortSignal): Promise<void> {
    const listener = request.listener;
    let end: { error?: ClientErrorJson; fault?: string } = {};
    try {
      for await (const batch of client.listen(request, signal)) this.channel.write(stringify({ listener, batch }));
    } catch (error) {
      const described = this.client.describeError(error);
      end = described === undefined ? { fault: `the listener threw an error outside the client's contract: ${describeThrown(error)}` } : { error: described };
    }
    this.channel.write(stringify({ listener, end }));
  }

  async #cancel(name: string): Promise<void> {
    const listener = this.#listeners.get(name);
    if (listener === undefined) throw new DriverFaultError(`no listener ${name}`);
    listener.controller.abort();
    await listener.done;
  }

  /**
   * Cancels every listener and closes the client. Calls still in flight are
   * abandoned: closing the client fails them, and nobody waits for their replies.
   */
  async shutDown(): Promise<void> {
    await Promise.all([...this.#listeners.keys()].map((name) => this.#cancel(name)));
    await this.#connected?.close();
    this.#connected = undefined;
  }
}

function requireString(value: unknown, field: string): void {
  if (typeof value !== "string" || value === "") throw new DriverFaultError(`${field} must be a non-empty string`);
}

function requireArray(value: unknown, field: string): void {
  if (!Array.isArray(value)) throw new DriverFaultError(`${field} must be an array`);
}

function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
