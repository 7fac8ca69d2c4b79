/**
 * Builds the probe firmware (hardware/probe-firmware/probe.ts) with the firmware's own
 * pipeline and checker, so the probe runs on Espruino for the same reasons the controller does.
 */
import { fileURLToPath } from "node:url";
import { checkBundle } from "../../tools/build/check-bundle.ts";
import { compileEntry } from "../../tools/build/pipeline.ts";

export const PROBE_ENTRY = fileURLToPath(new URL("../../hardware/probe-firmware/probe.ts", import.meta.url));

export async function buildProbe(): Promise<string> {
  const code = await compileEntry(PROBE_ENTRY, {});
  const problems = checkBundle(code);
  if (problems.length > 0) throw new Error(`the probe firmware is not fit for Espruino:\n${problems.map((p) => `probe.js:${p}`).join("\n")}`);
  return code;
}
