/**
 * Every request the fake servers of a case received, in arrival order, for the
 * `requests` operation and for failure reports.
 */
import type { RecordedRequest } from "../fake-servers-api.js";
import { ConditionWaiters } from "../../runner/condition-waiters.js";

/** A recorded request with how it travelled. */
export interface FakeRequestRecord extends RecordedRequest {
  /** `connect`, `grpc` or `grpc-web`, from the content type. */
  readonly protocol: string;
  /** `1.1` or `2.0`. */
  readonly httpVersion: string;
}

/** Which requests to select: by server name(s) and method name(s); absent means all. */
export interface RequestFilter {
  readonly server?: string | readonly string[] | undefined;
  readonly method?: string | readonly string[] | undefined;
}

/** Most requests kept per case; a client past this is storming and the case says so. */
export const recordedRequestsMax = 100_000;

const matches = (value: string, want: string | readonly string[] | undefined): boolean =>
  want === undefined || (typeof want === "string" ? value === want : want.includes(value));

/** The request log of one case's fake servers. */
export class RequestRecorder {
  readonly #records: FakeRequestRecord[] = [];
  readonly #now: () => number;
  readonly #waiters = new ConditionWaiters();

  /** @param nowMs milliseconds since the fake servers started. */
  constructor(nowMs: () => number) {
    this.#now = nowMs;
  }

  /** Milliseconds since the fake servers started, rounded. */
  nowMs(): number {
    return Math.round(this.#now());
  }

  /**
   * Records one request, stamped now.
   * @throws Error past {@link recordedRequestsMax} requests (the request is then refused).
   */
  record(r: Omit<FakeRequestRecord, "atMs">): FakeRequestRecord {
    if (this.#records.length >= recordedRequestsMax) {
      throw new Error(`more than ${recordedRequestsMax} requests reached the fake servers: a retry storm`);
    }
    const rec: FakeRequestRecord = { ...r, atMs: this.nowMs() };
    this.#records.push(rec);
    this.#waiters.notify();
    return rec;
  }

  /** The matching requests, oldest first. */
  list(filter: RequestFilter = {}): FakeRequestRecord[] {
    return this.#records.filter((r) => matches(r.server, filter.server) && matches(r.method, filter.method));
  }

  /**
   * Resolves true once `done()` holds (checked now and after every new request),
   * false after `timeoutMs` or when `signal` aborts.
   */
  waitFor(done: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return this.#waiters.waitFor(done, timeoutMs, signal);
  }
}
