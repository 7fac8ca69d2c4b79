import { mkdtempSync, renameSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPtyPair } from "../../simulator/io/pty-pair.ts";
import { openSerialLink, openSerialStream } from "./serial.ts";

describe("serial transport", () => {
  it("releases the port on close, so this process can open it again", async () => {
    const pair = await openPtyPair({ directory: mkdtempSync(join(tmpdir(), "serial-")), name: "again" });
    try {
      for (let i = 0; i < 3; i++) await (await openSerialLink(pair.peerPath, 115200)).close();
      const stream = await openSerialStream(pair.peerPath, 115200);
      await new Promise((resolve) => stream.destroy() && stream.once("close", resolve));
      await (await openSerialLink(pair.peerPath, 115200)).close();
    } finally {
      await pair.close();
    }
  });

  it("ends the link when its device node comes to name another device, though the old one lives on", async () => {
    const folder = mkdtempSync(join(tmpdir(), "serial-"));
    const pair = await openPtyPair({ directory: folder, name: "moved" });
    try {
      const link = await openSerialLink(pair.peerPath, 115200);
      const closed = new Promise<Error | undefined>((resolve) => link.onClose(resolve));
      // What replugging an adapter does to /dev/ttyACM0: same name, another device.
      symlinkSync(pair.boardPath, join(folder, "swap"));
      renameSync(join(folder, "swap"), pair.peerPath);
      const started = Date.now();
      expect((await closed)?.message).toBe(`${pair.peerPath} disappeared`);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await pair.close();
    }
  });

  it("says what to check when the device is missing", async () => {
    await expect(openSerialLink("/dev/guillotine-none", 115200)).rejects.toThrow(/no such device \(is it plugged in, or is the simulator running\?\)/);
  });
});
