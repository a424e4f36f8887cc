/**
 * The page script of the browser test: the SDK as an application would use
 * it, bundled for the browser. It appends `count` entries from `writers`
 * concurrent writers while a listener follows the log, and reports progress
 * on `window.synodTest` for the test to read.
 */
import { createClient } from "@synod/sdk/web";

interface TestState {
  acked: number;
  ackedSeqs: string[];
  seen: string[];
  errors: string[];
  done: boolean;
}

declare global {
  interface Window {
    synodTest: TestState;
    startSynodTest: (peers: string[], token: string, count: number, writers: number) => void;
  }
}

window.synodTest = { acked: 0, ackedSeqs: [], seen: [], errors: [], done: false };

window.startSynodTest = (peers, token, count, writers) => {
  const state = window.synodTest;
  const client = createClient({ peers, token, heartbeatMs: 250 });
  const stop = new AbortController();
  void (async () => {
    try {
      for await (const e of client.listenEntries({ signal: stop.signal })) state.seen.push(e.seq.toString());
    } catch (err) {
      if (!stop.signal.aborted) state.errors.push(`listen: ${String(err)}`);
    }
  })();
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      try {
        const r = await client.append({ type: "task", content: `browser entry ${i}` });
        state.acked++;
        state.ackedSeqs.push(r.seq.toString());
      } catch (err) {
        state.errors.push(`append ${i}: ${String(err)}`);
      }
    }
  };
  void Promise.all(Array.from({ length: writers }, writer)).then(() => {
    state.done = true;
  });
  (window as unknown as { stopSynodTest: () => void }).stopSynodTest = () => stop.abort();
};
