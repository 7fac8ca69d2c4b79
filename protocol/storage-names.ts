/**
 * The Storage file names the controller, the host tools and the simulator share: the
 * controller's own, and the system files through which Espruino runs code at boot.
 * Storage names are at most 28 characters.
 */

/** The controller's configuration (protocol/config.ts says what it holds). */
export const CONFIG_FILE = "gcfg";
/** The two alternating slots of the persisted state (firmware/core/persist.ts). */
export const STATE_FILES = ["gst0", "gst1"];

/** Espruino's system files: a saved RAM image, code run at every boot, code run at power-on only. */
export const SAVED_CODE_FILE = ".varimg";
export const BOOT_CODE_FILE = ".bootcde";
export const BOOT_CODE_RESET_FILE = ".bootrst";
