/**
 * The controller's Storage file names, in one place for the host tools. The firmware's own
 * constants are the source; the staging name is ours (at most 28 characters, Storage's limit).
 */
import { CONFIG_FILE } from "../../firmware/core/config.ts";
import { STATE_FILES } from "../../firmware/core/persist.ts";

export { CONFIG_FILE, STATE_FILES };

/** Where a new configuration is written and verified before it replaces CONFIG_FILE. */
export const CONFIG_STAGING_FILE = CONFIG_FILE + ".new";
