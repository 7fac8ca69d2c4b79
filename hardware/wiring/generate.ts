/**
 * Renders every wiring diagram. Run `node_modules/.bin/tsx hardware/wiring/generate.ts` after
 * changing a profile or a diagram; svg.test.ts fails while a committed .svg differs from what
 * this renders, so the diagrams never go stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { listProfiles, loadProfile } from "../profile.ts";
import { renderController } from "./controller.ts";
import { renderHostLink } from "./host-link.ts";
import { renderNetworkPath } from "./network-path.ts";
import { renderPowerPath } from "./power-path.ts";
import { renderProbe } from "./probe.ts";

export const WIRING_DIRECTORY = new URL("./", import.meta.url);

/** File name (inside hardware/wiring/) to SVG text, for every diagram. */
export function renderAll(): Map<string, string> {
  const files = new Map<string, string>();
  for (const id of listProfiles()) files.set(`${id}-controller.svg`, renderController(loadProfile(id)));
  files.set("network-path.svg", renderNetworkPath());
  files.set("power-path.svg", renderPowerPath());
  files.set("host-link.svg", renderHostLink());
  files.set("probe.svg", renderProbe());
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [name, text] of renderAll()) {
    writeFileSync(new URL(name, WIRING_DIRECTORY), text);
    console.log(`wrote hardware/wiring/${name}`);
  }
}
