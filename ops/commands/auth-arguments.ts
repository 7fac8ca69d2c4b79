/** The --auth and --auth-file options of restore and arm. */
import { readInputFile } from "../../kit/input-file.ts";
import { CommandError } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG } from "../../kit/command/exit-codes.ts";

export const AUTH_OPTIONS = {
  auth: { type: "string", multiple: true, default: [] as string[] },
  "auth-file": { type: "string" },
} as const;

export const AUTH_HELP = `  --auth LINE       an AUTH line printed by \`guillotine ops sign\` (repeat per operator)
  --auth-file FILE  AUTH lines, one per line (blank lines and # comments ignored)`;

/** Every AUTH line given, from --auth then --auth-file. */
export function authArguments(values: { auth: string[]; "auth-file"?: string }): string[] {
  const lines = [...values.auth];
  const path = values["auth-file"];
  if (path !== undefined) {
    let text: string;
    try {
      text = readInputFile(path, "--auth-file");
    } catch (error) {
      throw new CommandError(EXIT_CONFIG, (error as Error).message);
    }
    lines.push(...text.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#")));
  }
  return lines;
}
