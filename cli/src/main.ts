/**
 * The `synod` command: `synod hub …` for operators, `synod connection …` for
 * projects, `synod dev` for a local cluster. Every subcommand has `--help`.
 */
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { registerConnectionCommands } from "./commands/connection.js";
import { registerDevCommand } from "./commands/dev.js";
import { registerHubCommands } from "./commands/hub.js";
import { describeError } from "./output.js";

/** Builds the command tree. */
export function program(): Command {
  const p = new Command("synod")
    .description("Synod: a highly available hub for an append-only log of a team's decisions, learnings, conventions and tasks.")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  registerHubCommands(p);
  registerConnectionCommands(p);
  registerDevCommand(p);
  return p;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`synod: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`synod: ${describeError(err)}\n`);
    return 1;
  }
}
