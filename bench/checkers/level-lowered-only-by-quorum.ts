/**
 * SR-3 and SR-2: the level only rises, except through a valid operator quorum; irreversible
 * levels never fall; a reboot never comes back lower than the last announced level; a freshly
 * provisioned controller boots offline.
 */
import { LEVEL_DECAPITATION, LEVEL_OFFLINE } from "../../protocol/constants.ts";
import { announcements } from "./announcements.ts";
import { ms, type Checker } from "./checker.ts";
import { opsLinesSent, validQuorumBefore } from "./quorum-oracle.ts";

export const levelLoweredOnlyByQuorum: Checker = {
  name: "level-lowered-only-by-quorum",
  requirement: "SR-3",
  check({ timeline, config, fresh }) {
    const violations: string[] = [];
    const sent = opsLinesSent(timeline);
    let level = -1;
    let boots = 0;
    for (const a of announcements(timeline)) {
      if (a.source === "boot" && boots++ === 0 && fresh && a.level < LEVEL_OFFLINE) {
        violations.push(`at ${ms(a.atMs)} a freshly provisioned controller booted at level ${a.level}; expected offline (3) ("${a.text}")`);
      }
      if (level >= 0 && a.level < level) {
        const lawful = a.source === "level" && a.cause === "quorum" && level < LEVEL_DECAPITATION && validQuorumBefore(timeline, config, a.level, a.atMs, sent);
        if (!lawful) violations.push(`at ${ms(a.atMs)} the level fell from ${level} to ${a.level} ("${a.text}") without a valid quorum for it`);
      }
      level = a.level;
    }
    return violations;
  },
};
