/** The bench commands refuse clearly: what is missing, and what to do instead. */
import { describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";
import { EXIT_USAGE } from "../../kit/command/exit-codes.ts";

async function guillotine(...argv: string[]): Promise<{ code: number; errors: string }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, "error").mockImplementation((...parts) => void errors.push(parts.join(" ")));
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    return { code: await main(argv), errors: errors.join("\n") };
  } finally {
    spy.mockRestore();
    log.mockRestore();
  }
}

describe("guillotine bench", () => {
  it("run --target serial without ports names every missing option and points to --target sim", async () => {
    const { code, errors } = await guillotine("bench", "run", "--target", "serial", "--ops", "/dev/ttyUSB1");
    expect(code).toBe(EXIT_USAGE);
    expect(errors).toContain("--host, --probe, --config");
    expect(errors).toContain("--target sim");
  });

  it("refuses an unknown target, a bad seed, a report that is neither .md nor .html", async () => {
    expect((await guillotine("bench", "run", "--target", "usb")).errors).toContain("--target must be sim or serial");
    expect((await guillotine("bench", "run", "--seed", "3.5")).errors).toContain("--seed must be a whole number");
    expect((await guillotine("bench", "run", "--report", "out.pdf")).errors).toContain("name a .md or .html file");
  });

  it("fuzz and all refuse bad counts and names", async () => {
    expect((await guillotine("bench", "fuzz", "--frames", "0")).errors).toContain("--frames must be a whole number");
    expect((await guillotine("bench", "all", "--only", "speed")).errors).toContain("unknown; one of footprint");
  });
});
