/**
 * A child process spoken to in JSON lines: requests with an `id` go to its stdin,
 * replies echoing the `id` come back on stdout, and any other line on stdout is an
 * unsolicited message (a driver's events and listener batches). Both the server
 * adapter and the client driver contracts are built on this.
 *
 * The command runs through `sh -c` in its own process group, so `close()` ends the
 * command and everything it started, even when it ignores its closed stdin.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/** Options of {@link JsonLinesProcess.start}. */
export interface JsonLinesOptions {
  /** Shell command line, run with `sh -c` in `cwd`. */
  readonly command: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Called with every stdout line that is not a reply. */
  readonly onMessage?: (message: Record<string, unknown>) => void;
  /** Called with every stderr line (for the report's log). */
  readonly onStderr?: (line: string) => void;
}

/** Lines of stderr kept for error messages. */
const stderrLinesMax = 200;

/** A running JSON-lines child. */
export class JsonLinesProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly #stderr: string[] = [];
  #nextId = 1;
  #exit: string | undefined;
  readonly #exited: Promise<void>;

  private constructor(opts: JsonLinesOptions) {
    this.#child = spawn("sh", ["-c", `exec ${opts.command}`], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.#exited = new Promise((resolve) => {
      this.#child.once("exit", (code, signal) => {
        this.#exit = `exited (${code ?? signal})`;
        for (const p of this.#pending.values()) p.reject(new Error(`${opts.command} ${this.#exit} before replying; stderr:\n${this.stderrTail()}`));
        this.#pending.clear();
        resolve();
      });
      this.#child.once("error", (err) => {
        this.#exit = `failed to start: ${err.message}`;
        resolve();
      });
    });
    createInterface({ input: this.#child.stdout! }).on("line", (line) => this.#onLine(line, opts));
    createInterface({ input: this.#child.stderr! }).on("line", (line) => {
      this.#stderr.push(line);
      if (this.#stderr.length > stderrLinesMax) this.#stderr.shift();
      opts.onStderr?.(line);
    });
    this.#child.stdin!.on("error", () => undefined); // a dead child's stdin; the exit handler reports it
  }

  /** Spawns the command. */
  static start(opts: JsonLinesOptions): JsonLinesProcess {
    const p = new JsonLinesProcess(opts);
    JsonLinesProcess.#live.add(p);
    void p.#exited.then(() => JsonLinesProcess.#live.delete(p));
    return p;
  }

  static readonly #live = new Set<JsonLinesProcess>();

  /**
   * Kills the process group of every child still running, synchronously: the
   * backstop for an interrupted or crashing runner (`process.on("exit")`).
   */
  static killAll(): void {
    for (const p of JsonLinesProcess.#live) p.#killGroup();
  }

  /** The last lines the process wrote to stderr. */
  stderrTail(lines = 40): string {
    return this.#stderr.slice(-lines).join("\n");
  }

  /**
   * Sends `{id, ...body}` and resolves with the reply object.
   * @throws Error when the process exits first or `timeoutMs` passes.
   */
  request(body: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
    if (this.#exit !== undefined) return Promise.reject(new Error(`process ${this.#exit}; stderr:\n${this.stderrTail()}`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no reply to ${JSON.stringify(body).slice(0, 200)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.#child.stdin!.write(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  /** Sends a line that expects no reply. */
  send(body: Record<string, unknown>): void {
    if (this.#exit === undefined) this.#child.stdin!.write(`${JSON.stringify(body)}\n`);
  }

  /** Closes stdin, waits up to `graceMs` for a clean exit, then kills the whole process group. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.#exit === undefined) {
      this.#child.stdin!.end();
      const timer = setTimeout(() => this.#killGroup(), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    this.#killGroup(); // grandchildren the command left behind
  }

  #killGroup(): void {
    try {
      if (this.#child.pid !== undefined) process.kill(-this.#child.pid, "SIGKILL");
    } catch {
      // the group is already gone
    }
  }

  #onLine(line: string, opts: JsonLinesOptions): void {
    if (line.trim() === "") return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.#stderr.push(`(stdout, not JSON) ${line}`);
      return;
    }
    if (typeof msg !== "object" || msg === null) return;
    const m = msg as Record<string, unknown>;
    const pending = typeof m.id === "number" ? this.#pending.get(m.id) : undefined;
    if (pending && ("ok" in m || "error" in m)) {
      this.#pending.delete(m.id as number);
      pending.resolve(m);
      return;
    }
    opts.onMessage?.(m);
  }
}
