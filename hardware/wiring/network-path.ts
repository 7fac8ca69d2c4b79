/**
 * The network path: all eight conductors of an Ethernet cable through two relay stages in
 * series (1oo2). Generic: the same for every board; pins are in the controller diagrams.
 */
import { Drawing } from "./svg.ts";

/** T568B colours and the pair each conductor belongs to. */
const CONDUCTORS = [
  ["1", "white/orange", "pair 2 (100BASE-TX TX)"],
  ["2", "orange", "pair 2 (100BASE-TX TX)"],
  ["3", "white/green", "pair 3 (100BASE-TX RX)"],
  ["4", "blue", "pair 1 (1000BASE-T, PoE mode B)"],
  ["5", "white/blue", "pair 1 (1000BASE-T, PoE mode B)"],
  ["6", "green", "pair 3 (100BASE-TX RX)"],
  ["7", "white/brown", "pair 4 (1000BASE-T, PoE mode B)"],
  ["8", "brown", "pair 4 (1000BASE-T, PoE mode B)"],
];

const FIRST_Y = 120;
const PITCH = 30;
const STAGES = [
  { x: 520, name: "K1" },
  { x: 760, name: "K2" },
];

/** One stage: relay a switches conductors 1-4, relay b conductors 5-8, coils in parallel. */
function drawStage(drawing: Drawing, x: number, name: string): void {
  for (const [half, first] of [["a", 0], ["b", 4]] as const) {
    const top = FIRST_Y + first * PITCH - 18;
    drawing.box(x - 10, top, 50, 3 * PITCH + 26, [], { dashed: true, fill: "none" });
    drawing.text(x + 48, top + 12, `${name}${half}`, { bold: true });
    for (let index = first; index < first + 4; index += 1) drawing.contact(x, FIRST_Y + index * PITCH, "");
  }
  drawing.text(x + 15, FIRST_Y - 30, `${name}: 2x G7SA-4A2B`, { anchor: "middle", size: 10 });
}

/** The network path diagram as SVG text. */
export function renderNetworkPath(): string {
  const drawing = new Drawing(1100, 560, "Network path: 1oo2 relay stages on all eight Ethernet conductors");
  drawing.text(20, 28, "Network path (net0): two relay stages in series on all eight conductors", { bold: true, size: 16 });
  drawing.text(20, 48, "Kn = one profile relay = two force-guided relays with coils in parallel (8 NO contacts per stage).");
  drawing.box(20, FIRST_Y - 25, 110, 8 * PITCH + 10, ["server", "NIC", "RJ45"]);
  drawing.box(970, FIRST_Y - 25, 110, 8 * PITCH + 10, ["switch", "port", "RJ45"]);
  CONDUCTORS.forEach(([number, colour, pair], index) => {
    const y = FIRST_Y + index * PITCH;
    drawing.wire([[130, y], [STAGES[0].x, y]]);
    drawing.wire([[STAGES[0].x + 30, y], [STAGES[1].x, y]]);
    drawing.wire([[STAGES[1].x + 30, y], [970, y]]);
    drawing.text(140, y - 4, `${number} ${colour}`, { size: 10 });
    drawing.text(250, y - 4, pair, { size: 10 });
  });
  for (const stage of STAGES) drawStage(drawing, stage.x, stage.name);
  const notes = [
    "Coils: +24 V -> K1a coil || K1b coil -> U1 ULN2803A OUT1 (K2a || K2b -> U2 OUT1). Both stages must be energised for the cable to conduct.",
    "Feedback: +5 V -> K1a NC -> K1b NC -> 1k -> K1 feedback pin (1.8k to GND). A welded NO contact holds its NC open (EN 50205), so the pin",
    "reads 'energised' while the firmware commands 'released' and the path trips to offline. K2 likewise on its own pin.",
    "100BASE-TX uses pairs 2 and 3 (conductors 1-2, 3-6); 1000BASE-T uses all four pairs, PoE mode B the spare pairs 4-5 and 7-8. All eight",
    "are switched, so no speed, Auto-MDIX or PoE mode leaves a conductor connected. Keep each pair twisted up to the contacts; after closing, the",
    "link renegotiates (typically 2-3 s), and signal integrity through relays must be checked at the wanted speed (cable certifier or iperf).",
    "A cable shield carries no data and is not switched.",
  ];
  notes.forEach((note, index) => drawing.text(20, 400 + index * 18, note));
  return drawing.render();
}
