/**
 * The seam between the driver loop (driver-loop.ts, which speaks the JSON-lines
 * contract) and one client library. Our SDK's driver implements it over
 * `@synod/sdk/node`; the broken fixtures implement it with deliberate mistakes. A
 * driver for another TypeScript client only writes one of these.
 */
import type {
  AppendOk,
  AppendRequest,
  ClientErrorJson,
  ConnectRequest,
  DriverBatch,
  DriverEventName,
  DriverEvents,
  ListenRequest,
  ReadOk,
  ReadRequest,
  RegisterOk,
  RegisterRequest,
  StatusOk,
  StatusRequest,
} from "./driver-contract.js";

/** Receives the client's events, already in their contract form (no bigint, no Error objects). */
export type EventSink = <E extends DriverEventName>(name: E, data: DriverEvents[E]) => void;

/** A client library as the driver loop sees it before `connect`. */
export interface ClientUnderTest {
  /** What `hello` reports, such as `@synod/sdk 0.1.0 (node)`. */
  readonly implementation: string;
  /**
   * Creates the client for a `connect` request and subscribes `emit` to its events.
   * @throws anything: the loop answers with a fault (bad options are a case error).
   */
  connect(request: ConnectRequest, emit: EventSink): ConnectedClient | Promise<ConnectedClient>;
  /**
   * Maps an error thrown by an operation onto the contract's closed set, or returns
   * `undefined` when it is not one of the library's documented errors (the loop then
   * answers with a fault: the library broke its own error contract).
   */
  describeError(error: unknown): ClientErrorJson | undefined;
}

/**
 * A connected client. Each operation resolves with its `ok` payload or rejects with
 * the library's error; several run at once.
 */
export interface ConnectedClient {
  append(request: AppendRequest): Promise<AppendOk>;
  read(request: ReadRequest): Promise<ReadOk>;
  status(request: StatusRequest): Promise<StatusOk>;
  register(request: RegisterRequest): Promise<RegisterOk>;
  /**
   * Iterates a listener. The loop aborts `signal` on `cancel` and `close`; the
   * iteration must then end (normally or by throwing) with its RPC cancelled.
   */
  listen(request: ListenRequest, signal: AbortSignal): AsyncIterable<DriverBatch>;
  /** Releases connections and background work. Called once, after every listener ended. */
  close(): void | Promise<void>;
}
