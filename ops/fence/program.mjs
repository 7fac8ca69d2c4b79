// fence_guillotine as a program (bin/fence_guillotine runs it): loads the TypeScript through tsx.
import { register } from "tsx/esm/api";

register();
const { runAsProgram } = await import("./main.ts");
await runAsProgram();
