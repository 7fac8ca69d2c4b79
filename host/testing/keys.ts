/** Test-only fixed keys, so failures are reproducible. */
export const HOST_KEY_HEX = "11".repeat(32);
export const OPERATOR_KEYS_HEX = ["a0".repeat(32), "b1".repeat(32), "c2".repeat(32)];
export const MEASUREMENT_HEX = "0123456789abcdef0123456789abcdef";
export const CONTROLLER_ID = "ctl-test";
