/**
 * Real hub processes for tests: `synod hub start` on 127.0.0.1:0 with a
 * fresh data directory. Every process gets a hard timeout and is killed by
 * `cleanupProcesses()`, so a failing test never leaves one behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The synod CLI entry point. */
export const synodBin = fileURLToPath(new URL("../bin/synod.js", import.meta.url));

/** A hub running as a child process. */
export interface HubProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly dataDir: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited(): Promise<number | NodeJS.Signals>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();

/**
 * Registers a process a test spawned itself, so {@link cleanupProcesses} ends
 * it (with `signal` first, then SIGKILL) even when the test fails half-way.
 */
export function track<T extends ChildProcess>(child: T, signal: NodeJS.Signals = "SIGKILL"): T {
  live.add(child);
  gentle.set(child, signal);
  child.once("exit", () => live.delete(child));
  return child;
}

const gentle = new Map<ChildProcess, NodeJS.Signals>();

/** A new temp directory, removed by {@link cleanupProcesses}. */
export async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), "synod-proc-"));
  dirs.add(d);
  return d;
}

function exitedPromise(child: ChildProcess): Promise<number | NodeJS.Signals> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal as NodeJS.Signals))));
}

/** Runs `synod <args>` to completion and returns its output. */
export async function runSynod(args: readonly string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const child = spawn(process.execPath, [synodBin, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ["pipe", "pipe", "pipe"] });
  live.add(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin?.end(opts.input ?? "");
  const code = await exitedPromise(child);
  clearTimeout(timer);
  live.delete(child);
  return { code, stdout, stderr };
}

/** Spawns `synod hub start` and resolves once it listens (or rejects with its stderr if it exits). */
export async function spawnHub(dataDir: string, extra: readonly string[] = [], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<HubProcess> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const listen = extra.includes("--listen") ? [] : ["--listen", "127.0.0.1:0"];
  const child = spawn(process.execPath, [synodBin, "hub", "start", "--data-dir", dataDir, ...listen, ...extra], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...opts.env },
  });
  live.add(child);
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  child.once("exit", () => {
    clearTimeout(timer);
    live.delete(child);
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = out.match(/listening on (\S+)/);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code, signal) => reject(new Error(`hub exited (${code ?? signal}) before listening:\n${err}`)));
  });
  return { child, url, dataDir, stderr: () => err, exited: () => exitedPromise(child) };
}

/** The admin token a hub wrote on first start. */
export async function adminToken(dataDir: string): Promise<string> {
  return (await readFile(join(dataDir, "admin.token"), "utf8")).trim();
}

/** Kills every process still running and removes temp directories. */
export async function cleanupProcesses(): Promise<void> {
  await Promise.all(
    [...live].map(async (c) => {
      const done = exitedPromise(c);
      const signal = gentle.get(c) ?? "SIGKILL";
      c.kill(signal);
      // A parent given a gentle signal (synod dev) stops its own children; give it time, then force.
      const timer = signal === "SIGKILL" ? undefined : setTimeout(() => c.kill("SIGKILL"), 20_000);
      await done;
      clearTimeout(timer);
    }),
  );
  gentle.clear();
  live.clear();
  await Promise.all([...dirs].map((d) => rm(d, { recursive: true, force: true })));
  dirs.clear();
}
