/**
 * The isolated host link: two signals through a digital isolator and nothing else. No USB, no
 * shared ground, no power crosses from the host, so a compromised host can send bytes and
 * nothing more. Generic: the pins per board are in the controller diagrams (links.host).
 */
import { Drawing } from "./svg.ts";

const BARRIER_X = 550;

function drawSide(drawing: Drawing, x: number, title: string, lines: string[]): void {
  drawing.box(x, 90, 230, 200, [], { fill: "#eef3fb" });
  drawing.text(x + 115, 112, title, { anchor: "middle", bold: true });
  lines.forEach((line, index) => drawing.text(x + 10, 140 + index * 18, line, { size: 11 }));
}

/** The host link diagram as SVG text. */
export function renderHostLink(): string {
  const drawing = new Drawing(1100, 460, "Host link: UART through a digital isolator");
  drawing.text(20, 28, "Host link: TX and RX only, through U3 ADuM1201 (one channel each way)", { bold: true, size: 16 });
  drawing.text(20, 48, "The ops link is wired the same way through U4 when it is a UART; on USB or Bluetooth it has no wires at all.");
  drawSide(drawing, 20, "hypervisor host", ["USB-UART adapter, 3.3 V TTL", "(e.g. FTDI TTL-232R-3V3)", "TXD, RXD, VCC, GND only", "", "powers the isolator's host side", "from the adapter's VCC"]);
  drawSide(drawing, 850, "controller", ["links.host.tx / links.host.rx", "(see <BOARD>-controller.svg)", "", "powers the isolator's controller", "side from its own 3V3"]);
  drawing.box(440, 90, 220, 200, [], { fill: "#ffffff" });
  drawing.text(550, 112, "U3 ADuM1201", { anchor: "middle", bold: true });
  drawing.wire([[BARRIER_X, 125], [BARRIER_X, 285]], { dashed: true });
  drawing.text(BARRIER_X, 305, "isolation barrier (2500 V rms, UL 1577)", { anchor: "middle", size: 10 });
  for (const [label, y, fromHost] of [["host TXD -> controller RX", 170, true], ["controller TX -> host RXD", 230, false]] as const) {
    drawing.wire([[250, y], [440, y]]);
    drawing.wire([[660, y], [850, y]]);
    drawing.text(550, y - 8, label, { anchor: "middle", size: 10 });
    drawing.text(fromHost ? 450 : 650, y + 16, fromHost ? "input" : "output", { anchor: fromHost ? "start" : "end", size: 10 });
    drawing.text(fromHost ? 650 : 450, y + 16, fromHost ? "output" : "input", { anchor: fromHost ? "end" : "start", size: 10 });
  }
  drawing.text(345, 150, "VDD1 / GND1", { anchor: "middle", size: 10 });
  drawing.text(755, 150, "VDD2 / GND2", { anchor: "middle", size: 10 });
  const notes = [
    "GND1 and GND2 are never joined. Decouple each VDD with 100 nF at the isolator. Check the pinout in the ADuM1201 datasheet.",
    "If the host side loses power the controller sees a constant level or garbage: no valid heartbeat, so the deadline trips.",
    "The controller never echoes or evaluates host bytes; the REPL is never on this UART (hardware/profile.ts rejects a profile that puts it there).",
    "Optocouplers (e.g. 6N137 class, >= 1 Mbit/s) also work; slow phototransistor optos distort 115200 baud.",
  ];
  notes.forEach((note, index) => drawing.text(20, 350 + index * 18, note));
  return drawing.render();
}
