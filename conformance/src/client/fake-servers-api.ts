/**
 * The seam between the client side's two halves: the scripted fake servers of Tier A
 * (`fakeServers:` in a case) and the operations that drive the client under test.
 * `client-side.ts` starts the fake servers before the driver and stores them in the
 * case state under {@link fakeServersKey}.
 */

/** A request a fake server received, as cases inspect it with the `requests` operation. */
export interface RecordedRequest {
  /** The fake server's name in the case (`a`, `b`, …). */
  readonly server: string;
  /** RPC name: `Append`, `Read`, `Listen`, `Status`, `Register`, … */
  readonly method: string;
  /** Milliseconds since the fake servers started. */
  readonly atMs: number;
  /** The request message in protobuf JSON form (64-bit numbers as strings). */
  readonly body: unknown;
  /** Entry ids of an Append, for convenience. */
  readonly ids?: readonly string[];
  /** How the script answered (`ok`, `error:unavailable`, `hang`, `drop`, …). */
  readonly answered: string;
}

/** The running fake servers of one case. */
export interface FakeServers {
  /** Names in the case, in definition order. */
  readonly names: readonly string[];
  /** Base URL of a fake server: `http://127.0.0.1:<port>`. @throws Error for an unknown name. */
  url(name: string): string;
  /** Requests received so far, oldest first, optionally of one server and/or method. */
  requests(server?: string, method?: string): RecordedRequest[];
  /** Stops every fake server and ends open streams. */
  close(): Promise<void>;
}

/** Key of the {@link FakeServers} in `CaseContext.state`. */
export const fakeServersKey = "client.fakeServers";
