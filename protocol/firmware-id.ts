/**
 * The firmware id: "guillotine <version> <board profile>". The build puts it in the bundle as
 * a string literal, the firmware leaves it in a global once start() has run to the end, and
 * `guillotine flash` reads it from the bundle before uploading and from the board after.
 */
export interface FirmwareId {
  version: string;
  boardId: string;
}

const ID = "guillotine ([0-9A-Za-z.+-]+) ([A-Z0-9_]+)";

export function firmwareId(version: string, boardId: string): string {
  return `guillotine ${version} ${boardId}`;
}

/** The id a started board reports, or undefined when `value` is not one. */
export function parseFirmwareId(value: unknown): FirmwareId | undefined {
  const match = typeof value === "string" ? new RegExp(`^${ID}$`).exec(value) : null;
  return match === null ? undefined : { version: match[1], boardId: match[2] };
}

/** The id the build wrote into a bundle, or undefined when the text holds none. */
export function findFirmwareId(bundle: string): FirmwareId | undefined {
  const match = new RegExp(`"${ID}"`).exec(bundle);
  return match === null ? undefined : { version: match[1], boardId: match[2] };
}
