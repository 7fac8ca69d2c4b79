import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { openPtyPair, type PtyPair } from "./pty-pair.ts";
import { openCollecting, type CollectingPort } from "../testing/serial-support.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

describe("openPtyPair", () => {
  const directory = mkdtempSync(join(tmpdir(), `guillotine-pty-test-${process.pid}-`));
  const ports: CollectingPort[] = [];
  const pairs: PtyPair[] = [];

  afterEach(async () => {
    // Serial handles first, then socat, as in production.
    for (const port of ports.splice(0)) await port.close();
    for (const pair of pairs.splice(0)) await pair.close();
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it("carries bytes both ways untouched, and removes its links on close", async () => {
    const pair = await openPtyPair({ directory, name: "link" });
    pairs.push(pair);
    expect(existsSync(pair.boardPath)).toBe(true);
    expect(existsSync(pair.peerPath)).toBe(true);
    const board = await openCollecting(pair.boardPath);
    const peer = await openCollecting(pair.peerPath);
    ports.push(board, peer);

    // Every byte value, including \n, \r and Ctrl-C, must cross unchanged (raw, echo=0).
    const all = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    peer.port.write(all);
    await waitFor(() => board.received().length >= 256, "256 bytes at the board end");
    expect(Buffer.from(board.received(), "latin1")).toEqual(all);
    board.port.write("HELLO 1 abc\n");
    await waitFor(() => peer.received() === "HELLO 1 abc\n", "the reply at the peer end");
    expect(board.received().length).toBe(256);

    for (const port of ports.splice(0)) await port.close();
    await pair.close();
    expect(existsSync(pair.boardPath)).toBe(false);
    expect(existsSync(pair.peerPath)).toBe(false);
  });

  it("survives the peer closing and reopening its end", async () => {
    const pair = await openPtyPair({ directory, name: "reopen" });
    pairs.push(pair);
    const board = await openCollecting(pair.boardPath);
    ports.push(board);
    let expected = "";
    for (const word of ["first\n", "second\n"]) {
      const peer = await openCollecting(pair.peerPath);
      peer.port.write(word);
      expected += word;
      // Wait for arrival before closing: bytes socat has not read yet die with the pty's close.
      await waitFor(() => board.received() === expected, () => `${JSON.stringify(word)} (got ${JSON.stringify(board.received())})`);
      await peer.close();
    }
  });

  it("gives parallel pairs distinct links", async () => {
    const [first, second] = await Promise.all([openPtyPair({ directory, name: "a" }), openPtyPair({ directory, name: "b" })]);
    pairs.push(first, second);
    expect(new Set([first.boardPath, first.peerPath, second.boardPath, second.peerPath]).size).toBe(4);
  });

  it("says how to install socat when it is missing", async () => {
    const path = process.env.PATH;
    process.env.PATH = join(directory, "no-bin");
    try {
      await expect(openPtyPair({ directory, name: "nosocat" })).rejects.toThrow("socat not found: apt-get install socat");
    } finally {
      process.env.PATH = path;
    }
  });

  it("explains a directory it cannot use", async () => {
    await expect(openPtyPair({ directory: join(directory, "missing", "dir"), name: "x" })).rejects.toThrow(/exists and is writable/);
    rmSync(join(directory, "missing"), { recursive: true, force: true });
  });
});
