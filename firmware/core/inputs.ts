/** Input bits as the core sees them: a bit is 1 when that input is active. */
export const INPUT_ESTOP = 1;
export const INPUT_TAMPER = 2;
export const INPUT_ARM = 4;
export const INPUT_MAINTENANCE = 8;

/** Path kinds, in the order of hardware/profile-types.ts PathKind. */
export const KIND_NETWORK = 0;
export const KIND_POWER = 1;
export const KIND_DECAPITATION = 2;
export const KIND_IMMOLATION = 3;
export const KIND_NAMES = ["network", "power", "decapitation", "immolation"];
