/** Loads the agent's configuration for a command, turning problems into a usage-level error. */
import { CommandError } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { loadAgentConfig } from "../config.ts";
import type { AgentConfig } from "../config.ts";

export const CONFIG_PATH_DEFAULT = "/etc/guillotine/agent.json";

export function loadConfigOrThrow(path: string | undefined): AgentConfig {
  if (path === "") throw new CommandError(EXIT_USAGE, "--config needs a file path");
  const result = loadAgentConfig(path ?? CONFIG_PATH_DEFAULT);
  if ("errors" in result) {
    throw new CommandError(EXIT_CONFIG, "invalid configuration:\n  " + result.errors.join("\n  "));
  }
  return result.config;
}
