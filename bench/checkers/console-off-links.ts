/** SR-8: the REPL is never on the host or ops link. */
import type { Checker } from "./checker.ts";

export const consoleOffLinks: Checker = {
  name: "console-off-links",
  requirement: "SR-8",
  needs: ["internals"],
  check({ snapshot, linkDevices }) {
    const device = snapshot?.console.device;
    if (snapshot === undefined || device === undefined || !(linkDevices ?? []).includes(device)) return [];
    return [`the console (REPL) is on ${device}, a protocol link`];
  },
};
