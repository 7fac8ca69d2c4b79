/** A command of the `guillotine` CLI, or a subcommand of one: what `cli/main.ts` and `dispatchSubcommand` run. */
export interface Command {
  /** One line, for the list of commands. */
  summary: string;
  /** The text of `--help`. */
  help: string;
  /** Runs with the arguments after the command's name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}
