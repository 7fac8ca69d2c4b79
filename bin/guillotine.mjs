#!/usr/bin/env node
// Entry point of the `guillotine` command: loads the TypeScript sources through tsx.
import { register } from "tsx/esm/api";

register();
const { exitQuietlyOnBrokenPipe } = await import("../kit/command/broken-pipe.ts");
exitQuietlyOnBrokenPipe();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
