/** Reads the --key FILE of an operator, turning a refused key file into exit code 3. */
import { CommandError } from "../../kit/command/command-error.ts";
import { EXIT_CONFIG, EXIT_USAGE } from "../../kit/command/exit-codes.ts";
import { KeyFileError, readKeyFile } from "../../kit/key-file.ts";

export function operatorKey(path: string | undefined): string {
  if (path === undefined) throw new CommandError(EXIT_USAGE, "--key FILE (your operator key) is required");
  try {
    return readKeyFile(path);
  } catch (error) {
    if (error instanceof KeyFileError) throw new CommandError(EXIT_CONFIG, error.message);
    throw error;
  }
}

export function operatorIndex(text: string | undefined): number {
  if (text === undefined) throw new CommandError(EXIT_USAGE, "--operator INDEX (0-9, your place in the operator list) is required");
  if (!/^[0-9]$/.test(text)) throw new CommandError(EXIT_USAGE, `--operator must be your place in the operator list, 0-9; got "${text}"`);
  return Number(text);
}
