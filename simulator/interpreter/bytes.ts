/**
 * Espruino strings are byte strings: one char per byte. These helpers move data between
 * Espruino values (strings, arrays, typed arrays, ArrayBuffers from the vm context) and bytes.
 * Chars above 255 keep their low byte, as Espruino builds without Unicode support would store.
 */

export function bytesToBinaryString(bytes: Uint8Array): string {
  let text = "";
  for (let index = 0; index < bytes.length; index++) text += String.fromCharCode(bytes[index]);
  return text;
}

export function binaryStringToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index) & 0xff;
  return bytes;
}

export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === "[object ArrayBuffer]";
}

/**
 * Bytes of a string, array of numbers, typed array or ArrayBuffer (realm-independent checks),
 * or undefined for anything else.
 */
export function dataToBytes(value: unknown): Uint8Array | undefined {
  if (typeof value === "string") return binaryStringToBytes(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength));
  if (isArrayBuffer(value)) return new Uint8Array(value.slice(0));
  if (Array.isArray(value)) return Uint8Array.from(value, (item) => Number(item) & 0xff);
  return undefined;
}
