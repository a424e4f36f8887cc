/** The runner's side of the server adapter contract (see adapter-contract.ts). */
import { adapterContractVersion, type AdapterHello } from "./adapter-contract.js";
import { JsonLinesProcess } from "../process/json-lines-process.js";

/** A running adapter. One serves every case of a run, one cluster at a time. */
export class AdapterProcess {
  private constructor(
    private readonly proc: JsonLinesProcess,
    /** What the adapter said it is, for the report. */
    readonly hello: AdapterHello,
  ) {}

  /**
   * Spawns `command` (run with `sh -c` in `cwd`) and checks it speaks this contract.
   * @throws Error when it does not answer `hello` or speaks another version.
   */
  static async start(command: string, cwd: string, onStderr?: (line: string) => void): Promise<AdapterProcess> {
    const proc = JsonLinesProcess.start({ command, cwd, ...(onStderr ? { onStderr } : {}) });
    try {
      const reply = await proc.request({ op: "hello" }, 60_000);
      if ("error" in reply) throw new Error(`adapter refused hello: ${String(reply.error)}`);
      const hello = reply.ok as AdapterHello;
      if (hello?.contract !== adapterContractVersion) throw new Error(`adapter speaks contract ${String(hello?.contract)}, the runner speaks ${adapterContractVersion}`);
      return new AdapterProcess(proc, hello);
    } catch (err) {
      await proc.close(1_000);
      throw new Error(`server adapter \`${command}\` did not start: ${err instanceof Error ? err.message : String(err)}\n${proc.stderrTail()}`, { cause: err });
    }
  }

  /**
   * Sends one request and returns its `ok` payload.
   * @throws Error with the adapter's message (and its stderr tail) on `error` or timeout.
   */
  async call(op: string, body: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    const reply = await this.proc.request({ op, ...body }, timeoutMs);
    if ("error" in reply) throw new Error(`adapter ${op} failed: ${String(reply.error)}\nadapter stderr (last lines):\n${this.proc.stderrTail(20)}`);
    return reply.ok;
  }

  /** The last lines of the adapter's stderr (node logs, for failed cases). */
  stderrTail(lines?: number): string {
    return this.proc.stderrTail(lines);
  }

  /** Asks the adapter to kill every node, then ends it. */
  async close(): Promise<void> {
    await this.proc.request({ op: "shutdown" }, 30_000).catch(() => undefined);
    await this.proc.close();
  }
}
