import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { adminToken, cleanupProcesses, runSynod, spawnHub, synodBin, tempDir, track } from "./process-harness.js";

afterEach(cleanupProcesses);

describe("synod hub", () => {
  it("start prints the admin token once and saves it with mode 0600; status, tokens and stop work end to end", async () => {
    const dir = await tempDir();
    const first = track(spawn(process.execPath, [synodBin, "hub", "start", "--data-dir", dir, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "pipe"] }));
    let out = "";
    await new Promise<void>((resolve, reject) => {
      first.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        if (/synod_adm_\S+/.test(out)) resolve();
      });
      first.once("exit", () => reject(new Error("exited early")));
    });
    const token = await adminToken(dir);
    expect(out).toContain(token);
    expect((await stat(join(dir, "admin.token"))).mode & 0o777).toBe(0o600);

    const status = await runSynod(["hub", "status", "--data-dir", dir]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/node:\s+n1 \(leader, term \d+\)/);
    const json = JSON.parse((await runSynod(["hub", "status", "--json", "--data-dir", dir])).stdout) as { role: string; entries: string };
    expect(json).toMatchObject({ role: "leader", entries: "0" });

    const created = await runSynod(["hub", "token", "create", "project-x", "--json", "--data-dir", dir]);
    expect(created.code, created.stderr).toBe(0);
    const tok = JSON.parse(created.stdout) as { token: string; info: { tokenId: string } };
    expect(tok.token).toMatch(/^synod_cli_/);
    const list = await runSynod(["hub", "token", "list", "--data-dir", dir]);
    expect(list.stdout).toContain("project-x");
    expect(list.stdout).not.toContain(tok.token);
    const revoke = await runSynod(["hub", "token", "revoke", tok.info.tokenId, "--data-dir", dir]);
    expect(revoke.stdout).toContain("revoked 1 token");
    const denied = await runSynod(["hub", "status", "--data-dir", dir, "--token", tok.token]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/invalid token/);

    const stop = await runSynod(["hub", "stop", "--data-dir", dir]);
    expect(stop.code, stop.stderr).toBe(0);
    expect(await new Promise((r) => (first.exitCode !== null ? r(first.exitCode) : first.once("exit", r)))).toBe(0);
    expect((await runSynod(["hub", "stop", "--data-dir", dir])).stdout).toContain("no hub is running");

    const again = await spawnHub(dir);
    expect(again.stderr()).not.toContain("synod_adm_");
    expect(await adminToken(dir)).toBe(token);
  });

  it("reads settings from a YAML file and SYNOD_* variables, flags winning", async () => {
    const dir = await tempDir();
    const cfg = join(dir, "synod.yaml");
    await writeFile(cfg, `data-dir: ${join(dir, "from-file")}\nnode-id: file-node\nlisten: 127.0.0.1:0\nentry-types: [decision, incident]\n`);
    const hub = await spawnHub(join(dir, "from-flag"), ["--config", cfg, "--node-id", "flag-node"]);
    const s = JSON.parse((await runSynod(["hub", "status", "--json", "--url", hub.url, "--data-dir", join(dir, "from-flag")])).stdout) as { nodeId: string };
    expect(s.nodeId).toBe("flag-node");
    const envDir = join(dir, "env");
    const viaEnv = await spawnHub(envDir, [], { env: { SYNOD_NODE_ID: "env-node" } });
    const e = JSON.parse((await runSynod(["hub", "status", "--json", "--url", viaEnv.url, "--data-dir", envDir])).stdout) as { nodeId: string };
    expect(e.nodeId).toBe("env-node");
  });

  it("explains bad configuration and refuses a data directory owned by another node", async () => {
    const dir = await tempDir();
    const bad = await runSynod(["hub", "start", "--data-dir", dir, "--listen", "nowhere"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("listen must be host:port");
    await spawnHub(dir, ["--node-id", "a"]).then(async (h) => {
      h.child.kill("SIGTERM");
      await h.exited();
    });
    const other = await runSynod(["hub", "start", "--data-dir", dir, "--listen", "127.0.0.1:0", "--node-id", "b"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('belongs to node "a"');
  });

  it("has --help on every command", async () => {
    const cmds = [[], ["hub"], ["hub", "start"], ["hub", "stop"], ["hub", "status"], ["hub", "token"], ["hub", "token", "create"], ["hub", "token", "list"], ["hub", "token", "revoke"], ["hub", "quarantine"], ["connection"], ["connection", "register"], ["connection", "publish"], ["connection", "listen"], ["connection", "sync"], ["connection", "subscribe"], ["connection", "status"], ["dev"]];
    const results = await Promise.all(cmds.map((cmd) => runSynod([...cmd, "--help"])));
    results.forEach((r, i) => {
      const name = (cmds[i] ?? []).join(" ");
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(/^Usage: synod/);
    });
  });
});
