import { createConnection, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { sendControlRequest } from "./control-client.ts";
import { startSimulator, type RunningSimulator } from "./sim-process.ts";
import { openCollecting, type CollectingPort } from "../testing/serial-support.ts";
import { waitFor } from "../../kit/testing/wait-for.ts";

/** A TCP console client, as the espruino tool or a terminal would be. */
async function openConsole(url: string): Promise<{ socket: Socket; received: () => string }> {
  const port = Number(new URL(url).port);
  const socket = createConnection(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  socket.on("data", (data) => (received += data.toString("latin1")));
  return { socket, received: () => received };
}

describe("a simulator in this process", () => {
  let simulator: RunningSimulator | undefined;
  const ports: CollectingPort[] = [];
  const sockets: Socket[] = [];

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    for (const port of ports.splice(0)) await port.close();
    await simulator?.close();
    simulator = undefined;
  });

  it("bridges the host and ops links to the board's UARTs, and unplug cuts the cable", async () => {
    simulator = await startSimulator({ boardId: "PICO", seed: 11 });
    const { board, endpoints } = simulator;
    // A line echo on both links, typed straight into the interpreter. Data arrives in chunks
    // (paced at the baud rate), so it collects up to each newline, as the firmware must.
    for (const device of ["Serial1", "Serial2"]) {
      const result = board.evaluate(
        `var line${device} = ""; ${device}.setup(115200); ${device}.on("data", function (d) { line${device} += d; var end; ` +
          `while ((end = line${device}.indexOf("\\n")) >= 0) { ${device}.write("${device}:" + line${device}.slice(0, end).toUpperCase() + "\\n"); line${device} = line${device}.slice(end + 1); } });`,
      );
      expect(result).toMatchObject({ ok: true });
    }
    const host = await openCollecting(endpoints.host);
    const ops = await openCollecting(endpoints.ops);
    ports.push(host, ops);
    host.port.write("ping\n");
    ops.port.write("status\n");
    await waitFor(() => host.received() === "Serial2:PING\n", () => `host echo (got ${JSON.stringify(host.received())})`);
    await waitFor(() => ops.received() === "Serial1:STATUS\n", () => `ops echo (got ${JSON.stringify(ops.received())})`);

    expect(await sendControlRequest(endpoints.control, { cmd: "unplug", link: "host" })).toMatchObject({ ok: true });
    host.port.write("lost\n");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(host.received()).toBe("Serial2:PING\n");
    expect(await sendControlRequest(endpoints.control, { cmd: "replug", link: "host" })).toMatchObject({ ok: true });
    host.port.write("back\n");
    await waitFor(() => host.received().endsWith("Serial2:BACK\n"), () => `echo after replug (got ${JSON.stringify(host.received())})`);
  });

  it("serves the REPL on TCP, and not once the firmware moves the console away", async () => {
    simulator = await startSimulator({ boardId: "PICO", seed: 12 });
    const { board, endpoints } = simulator;
    const terminal = await openConsole(endpoints.console);
    sockets.push(terminal.socket);
    terminal.socket.write("\n");
    await waitFor(() => terminal.received().endsWith(">"), () => `a prompt (got ${JSON.stringify(terminal.received())})`);
    terminal.socket.write("1+2\r");
    await waitFor(() => terminal.received().includes("=3\r\n>"), () => `=3 (got ${JSON.stringify(terminal.received())})`);

    const ops = await openCollecting(endpoints.ops);
    ports.push(ops);
    const moved = board.evaluate(`Serial1.setup(115200); USB.on("data", function (d) { Serial1.write("USB:" + d); }); LoopbackA.setConsole();`);
    expect(moved.ok).toBe(true);
    const before = terminal.received();
    terminal.socket.write("reset(true)\r");
    await waitFor(() => ops.received().includes("reset(true)"), () => `the bytes at USB.on("data") (got ${JSON.stringify(ops.received())})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Nothing echoed, nothing evaluated: the board still runs the program that moved the console.
    expect(terminal.received()).toBe(before);
    expect(board.snapshot().console.device).toBe("LoopbackA");
  });
});
