import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGuillotine } from "../../simulator/testing/serial-support.ts";

/** A file that carries a firmware id, so the command gets as far as the port. */
const bundle = join(mkdtempSync(join(tmpdir(), "flash-command-")), "firmware-PICO.js");
writeFileSync(bundle, 'var id = "guillotine 0.1.0 PICO";\n');

describe("guillotine flash", () => {
  it("refuses a pty and points to the simulator's tcp:// console", async () => {
    const result = await runGuillotine(["flash", "--board", "PICO", "--port", "/dev/pts/7", "--file", "package.json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is a pty.*refuses.*--port tcp:\/\/127\.0\.0\.1:PORT/s);
  });

  it("names the build command when the bundle is missing", async () => {
    const result = await runGuillotine(["flash", "--board", "PICO", "--port", "tcp://127.0.0.1:1", "--file", "dist/no-such-bundle.js"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no dist\/no-such-bundle\.js: build it with `make build BOARD=PICO`/);
  });

  it("exits 4 with a clear message when the port does not answer", async () => {
    const result = await runGuillotine(["flash", "--board", "PICO", "--port", "tcp://127.0.0.1:1", "--file", bundle, "--json"]);
    expect(result.code).toBe(4);
    const reply = JSON.parse(result.stdout);
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(/cannot open tcp:\/\/127\.0\.0\.1:1.*ECONNREFUSED.*is `guillotine sim` running/);
  });

  it("explains missing options", async () => {
    const result = await runGuillotine(["flash", "--board", "PICO"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port is missing/);
  });
});
