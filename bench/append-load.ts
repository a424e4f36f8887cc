/**
 * Closed-loop append load: `inFlight` workers each send one Append of
 * `batch` entries at a time, for `durationMs`. Reports entries/s and the
 * latency of each call.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { HubService } from "@synod/proto/hub";
import { percentile } from "./stats.js";

/** One load configuration. */
export interface LoadSpec {
  readonly inFlight: number;
  readonly batch: number;
  readonly durationMs: number;
  readonly contentBytes: number;
}

/** What one run measured. */
export interface LoadResult {
  readonly entriesPerSec: number;
  readonly callsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly calls: number;
  readonly errors: number;
}

let runId = 0;

/** Runs the load against `url` and measures it. */
export async function appendLoad(url: string, token: string, spec: LoadSpec): Promise<LoadResult> {
  const transport = createConnectTransport({
    baseUrl: url,
    httpVersion: "2",
    interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))],
  });
  const client = createClient(HubService, transport);
  const content = "x".repeat(spec.contentBytes);
  const latencies: number[] = [];
  let errors = 0;
  const run = ++runId;
  const start = performance.now();
  const end = start + spec.durationMs;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < end; i++) {
      const entries = Array.from({ length: spec.batch }, (_, k) => ({ id: `r${run}-w${w}-${i}-${k}`, type: "learning", content }));
      const t0 = performance.now();
      try {
        await client.append({ entries });
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.inFlight }, (_, w) => worker(w)));
  const seconds = (performance.now() - start) / 1000;
  return {
    entriesPerSec: (latencies.length * spec.batch) / seconds,
    callsPerSec: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    calls: latencies.length,
    errors,
  };
}
