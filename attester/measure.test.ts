import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { measure } from "./measure.ts";
import type { MeasureDeps } from "./measure.ts";

const files: Record<string, string> = { "/a": "alpha", "/b": "beta", "/pcr/7": "ABCDEF\n" };

const deps: MeasureDeps = {
  readFile: async (path) => {
    if (!(path in files)) throw Object.assign(new Error("no"), { code: "ENOENT" });
    return Buffer.from(files[path]);
  },
  runCommand: async (argv) => ({ exitCode: argv[0] === "false" ? 1 : 0, stdout: Buffer.from(argv.join(" ")) }),
  pcrFolder: "/pcr",
};

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("measure", () => {
  it("hashes one record per source into the first 16 bytes of SHA-256", async () => {
    const result = await measure({ files: ["/a"], commands: [["echo", "x"]], tpmPcrs: [7] }, 1000, deps);
    const records = [`file "/a" ${sha("alpha")}`, `command ["echo","x"] exit 0 ${sha("echo x")}`, "pcr 7 abcdef"];
    expect(result.records).toEqual(records);
    expect(result.digest).toBe(sha(records.join("\n") + "\n").slice(0, 32));
  });

  it("does not depend on the order sources are listed in", async () => {
    const one = await measure({ files: ["/a", "/b"], commands: [["b"], ["a"]], tpmPcrs: [7, 0] }, 1000, deps);
    const two = await measure({ files: ["/b", "/a"], commands: [["a"], ["b"]], tpmPcrs: [0, 7, 7] }, 1000, deps);
    expect(one.digest).toBe(two.digest);
  });

  it("records missing files, failing commands and absent PCRs so the digest changes", async () => {
    const result = await measure({ files: ["/missing"], commands: [["false"]], tpmPcrs: [3] }, 1000, deps);
    expect(result.records).toEqual([`file "/missing" missing ENOENT`, `command ["false"] exit 1 ${sha("false")}`, "pcr 3 absent"]);
    const healthy = await measure({ files: ["/a"], commands: [["true"]], tpmPcrs: [7] }, 1000, deps);
    expect(result.digest).not.toBe(healthy.digest);
  });

  it("runs real commands without a shell and hashes their output", async () => {
    const result = await measure({ files: [], commands: [["echo", "$HOME"]], tpmPcrs: [] }, 5000);
    expect(result.records[0]).toBe(`command ["echo","$HOME"] exit 0 ${sha("$HOME\n")}`);
  });
});
