/** Test-only fixed keys and names, shared by every test rig, so failures are reproducible. */
export const HOST_KEY = "11".repeat(32);
export const OPERATOR_KEYS = ["a1".repeat(32), "b2".repeat(32), "c3".repeat(32)];
export const GOOD_MEASUREMENT = "5e".repeat(16);
export const CONTROLLER_ID = "ctrl-test";
