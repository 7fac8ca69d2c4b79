/**
 * require("crypto"): SHA1 on every board, SHA256 where the profile says the board has it;
 * each returns an ArrayBuffer (of the interpreter's realm). Data may be a byte string, an
 * array of bytes, a typed array or an ArrayBuffer. AES and PBKDF2 fail loudly.
 */
import { createHash } from "node:crypto";
import { dataToBytes } from "../interpreter/bytes.ts";
import type { Kernel } from "../interpreter/kernel.ts";

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

export function createCryptoModule(kernel: Kernel): object {
  const { realm } = kernel;
  const hash = (algorithm: string) => (data: unknown) => {
    kernel.checkAlive();
    const bytes = dataToBytes(data);
    if (bytes === undefined) throw kernel.error(`Expecting a string or array, got ${typeof data}`);
    kernel.cpu?.hash(bytes.length);
    const digest = createHash(algorithm).update(bytes).digest();
    const result = new realm.ArrayBuffer(digest.length);
    new realm.Uint8Array(result).set(digest);
    return result;
  };
  const crypto = new realm.Object();
  define(crypto, "SHA1", hash("sha1"));
  if (kernel.profile.sha256) define(crypto, "SHA256", hash("sha256"));
  const aes = new realm.Object();
  define(aes, "encrypt", kernel.unimplemented("crypto.AES.encrypt"));
  define(aes, "decrypt", kernel.unimplemented("crypto.AES.decrypt"));
  define(crypto, "AES", aes);
  define(crypto, "PBKDF2", kernel.unimplemented("crypto.PBKDF2"));
  return crypto;
}
