/**
 * fence_guillotine's entry point: reads the parameters (standard input when there are no
 * arguments, as Pacemaker calls it; flags otherwise), checks them and runs the action.
 * Results go to standard output ("Success: ...", "Status: OFF"), failures to standard error
 * ("Failed: ..."), with fence-agents' exit codes: 0 done, 1 failed, 2 status OFF.
 */
import { readFileSync } from "node:fs";
import { exitQuietlyOnBrokenPipe } from "../../kit/command/broken-pipe.ts";
import { FENCE_FAILED, FENCE_OK, FenceError, fenceList, fenceMonitor, fenceOff, fenceStatus } from "./actions.ts";
import type { Output } from "./actions.ts";
import { AGENT_NAME, metadataXml } from "./metadata.ts";
import { PARAMETERS, UsageError, actionOf, parseCommandLine, parseStdin, settingsOf, withDefaults } from "./options.ts";
import type { Action, FenceSettings } from "./options.ts";

const VERSION = "1";

const ON_REFUSED =
  "Failed: fence_guillotine never lowers a level. Turning the server back on needs a quorum of " +
  "operators: `guillotine ops challenge standard`, each operator `guillotine ops sign`, then " +
  "`guillotine ops restore standard --auth ...`.";

function help(): string {
  const lines = [`usage: ${AGENT_NAME} [options]   (or name=value lines on standard input)`, "", "options:"];
  for (const parameter of PARAMETERS) {
    const flag = `${parameter.short === undefined ? "    " : `-${parameter.short}, `}--${parameter.longopt}${parameter.type === "boolean" ? "" : "=VALUE"}`;
    const fallback = parameter.default === undefined ? "" : ` (default ${parameter.default})`;
    lines.push(`  ${flag.padEnd(28)} ${parameter.shortdesc}${fallback}`);
  }
  lines.push("", "actions: on (refused), off, reboot (= off), status, monitor, list, metadata, validate-all");
  lines.push("exit codes: 0 done (status: ON), 1 failed, 2 status: OFF");
  return lines.join("\n");
}

async function act(action: Action, settings: FenceSettings, output: Output): Promise<number> {
  if (settings.delayMs > 0 && (action === "off" || action === "reboot")) {
    output.step(`waiting ${settings.delayMs / 1000} s (delay)`);
    await new Promise((resolve) => setTimeout(resolve, settings.delayMs));
  }
  switch (action) {
    case "off":
      return fenceOff(settings, output, "Success: Powered OFF");
    case "reboot":
      // Turning back on would lower the level, which takes the quorum: reboot stops at off.
      return fenceOff(settings, output, "Success: Rebooted (powered OFF only: it stays off until operators restore it with `guillotine ops restore`)");
    case "status":
      return fenceStatus(settings, output);
    case "monitor":
      return fenceMonitor(settings, output);
    case "list":
      return fenceList(settings, output);
    default:
      throw new Error(`unhandled action ${action}`);
  }
}

export interface Io {
  argv: string[];
  readStdin: () => string;
  out: (line: string) => void;
  err: (line: string) => void;
}

export async function main(io: Io): Promise<number> {
  const warnings: string[] = [];
  let action: Action;
  let settings: FenceSettings | undefined;
  try {
    const values = withDefaults(io.argv.length > 0 ? parseCommandLine(io.argv) : parseStdin(io.readStdin(), warnings));
    for (const warning of warnings) io.err(`Warning: ${warning}`);
    if (values.help === "1") {
      io.out(help());
      return FENCE_OK;
    }
    if (values.version === "1") {
      io.out(`${AGENT_NAME} ${VERSION}`);
      return FENCE_OK;
    }
    action = actionOf(values);
    if (action === "metadata") {
      io.out(metadataXml().trimEnd());
      return FENCE_OK;
    }
    if (action === "on") {
      io.err(ON_REFUSED);
      return FENCE_FAILED;
    }
    settings = settingsOf(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`Failed: ${error.message}`);
    return FENCE_FAILED;
  }
  if (action === "validate-all") return FENCE_OK;
  const verbose = settings.verbose;
  const output: Output = { result: io.out, step: (line) => verbose && io.err(line) };
  try {
    return await act(action, settings, output);
  } catch (error) {
    if (!(error instanceof FenceError)) throw error;
    io.err(`Failed: ${error.message}`);
    return FENCE_FAILED;
  }
}

/** Run as a program: anything unexpected is a failure (exit 1), reported as such. */
export async function runAsProgram(): Promise<void> {
  exitQuietlyOnBrokenPipe();
  const io: Io = {
    argv: process.argv.slice(2),
    readStdin: () => {
      // The fencer pipes the parameters in; a person at a terminal may not know to type them.
      if (process.stdin.isTTY) process.stderr.write("reading name=value lines until end of input (Ctrl-D); -h lists the flags\n");
      return readFileSync(0, "utf8");
    },
    out: (line) => process.stdout.write(line + "\n"),
    err: (line) => process.stderr.write(line + "\n"),
  };
  let code: number;
  try {
    code = await main(io);
  } catch (error) {
    io.err(`Failed: internal error: ${(error as Error).stack ?? String(error)}`);
    code = FENCE_FAILED;
  }
  // The fencer waits for the agent to exit: a handle left open must not keep it waiting.
  process.exit(code);
}
