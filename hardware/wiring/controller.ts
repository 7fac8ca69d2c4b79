/**
 * The per-board controller diagram: every pin the profile uses, one row each, with the parts
 * between the pin and the field. Drawn from the profile so the pin names can never drift from
 * what the firmware drives.
 */
import type { BoardProfile, LinkProfile } from "../profile-types.ts";
import { Drawing } from "./svg.ts";
import { INPUT_NAMES, driverName, feedbackChain, pullResistor, relayParts, switchWiring } from "./parts.ts";

const ROW_HEIGHT = 26;
const TOP = 70;
const MCU_RIGHT = 190;
const COLUMNS = [
  { x: 220, width: 130 },
  { x: 380, width: 190 },
  { x: 600, width: 230 },
];
const NOTE_X = 850;
const WIDTH = 1160;

interface Row {
  pin?: string;
  /** One entry per column; an empty string widens the cell before it into that column. */
  cells: string[];
  note: string;
  heading?: boolean;
}

function relayRows(profile: BoardProfile): Row[] {
  const coils: Row[] = [{ cells: ["Relay coils: high = energised (path closes only if both relays are)"], note: "", heading: true }];
  const feedback: Row[] = [{ cells: ["Feedback: high = relay released (mirror contacts closed)"], note: "", heading: true }];
  let relayIndex = 0;
  profile.paths.forEach((path, pathIndex) => {
    path.relays.forEach((relay, relayInPath) => {
      const label = `${path.name} (${path.kind}) relay ${relayInPath + 1}`;
      coils.push({ pin: relay.coil, cells: ["47k to GND", `${driverName(relayInPath)} IN${pathIndex + 1}`, relayParts(path.kind, relayIndex)], note: `${label}, coil +24 V` });
      feedback.push({ pin: relay.feedback, cells: ["1.8k to GND", "1k from +5 V through", feedbackChain(path.kind, relayIndex)], note: label });
      relayIndex += 1;
    });
  });
  return [...coils, ...feedback];
}

function inputRows(profile: BoardProfile): Row[] {
  const rows: Row[] = [{ cells: ["Inputs: a broken wire reads e-stop/tamper active, arm/strap inactive"], note: "", heading: true }];
  for (const name of INPUT_NAMES) {
    const input = profile.inputs[name];
    rows.push({ pin: input.pin, cells: [pullResistor(input), switchWiring(name, input), ""], note: `${name}: active ${input.active}, pull ${input.pull}` });
  }
  return rows;
}

function linkRows(name: "host" | "ops", link: LinkProfile, console: string): Row[] {
  if (link.tx === undefined || link.rx === undefined) {
    return [{ cells: [`${name} link: ${link.device}, no pins (the board's own ${link.device})`], note: "", heading: true }];
  }
  const heading: Row = { cells: [`${name} link: ${link.device}, ${link.baud} baud 8N1`], note: "", heading: true };
  if (link.device === console) {
    const cells = ["on-board USB bridge", "USB cable", "operator machine"];
    return [heading, { pin: link.tx, cells, note: "shared with the console" }, { pin: link.rx, cells, note: "(REPL in maintenance mode)" }];
  }
  const isolator = name === "host" ? "U3 ADuM1201" : "U4 ADuM1201";
  const peer = name === "host" ? "hypervisor host" : "operator machine";
  return [
    heading,
    { pin: link.tx, cells: [`${isolator} in`, "isolation barrier", `${peer} UART RXD`], note: "controller transmits" },
    { pin: link.rx, cells: [`${isolator} out`, "isolation barrier", `${peer} UART TXD`], note: "controller receives" },
  ];
}

function drawRow(drawing: Drawing, row: Row, y: number): void {
  if (row.heading === true) {
    drawing.text(COLUMNS[0].x, y + 4, row.cells[0], { bold: true });
    return;
  }
  if (row.pin !== undefined) drawing.text(MCU_RIGHT - 10, y + 4, row.pin, { anchor: "end", pin: true });
  let x = MCU_RIGHT;
  row.cells.forEach((cell, index) => {
    if (cell === "") return;
    let last = index;
    while (row.cells[last + 1] === "") last += 1;
    const left = COLUMNS[index].x;
    const right = COLUMNS[last].x + COLUMNS[last].width;
    drawing.wire([[x, y], [left, y]]);
    drawing.box(left, y - 10, right - left, 20, [cell]);
    x = right;
  });
  drawing.text(NOTE_X, y + 4, row.note);
}

/** The controller diagram of `profile` as SVG text. */
export function renderController(profile: BoardProfile): string {
  const rows = [
    ...relayRows(profile),
    ...inputRows(profile),
    { cells: ["Status"], note: "", heading: true },
    { pin: profile.led, cells: ["LED, high = on", "on-board LED (or LED + 330R to GND)", ""], note: "status LED" },
    ...linkRows("host", profile.links.host, profile.console),
    ...linkRows("ops", profile.links.ops, profile.console),
  ];
  const notes = [
    `Generated from hardware/profiles/${profile.id}.json by hardware/wiring/generate.ts: edit the profile, not this file.`,
    "Pins float until JavaScript runs: the 47k pull-downs hold every driver off, so every path is open until the firmware closes it.",
    `+24 V and +5 V come from the controller's own supply, never the server's. Console (REPL, maintenance mode only): ${profile.console}.`,
  ];
  const height = TOP + rows.length * ROW_HEIGHT + notes.length * 18 + 20;
  const drawing = new Drawing(WIDTH, height, `${profile.name} (${profile.espruinoBoard}): controller wiring`);
  drawing.text(20, 28, `${profile.name} (${profile.espruinoBoard}): controller wiring`, { bold: true, size: 16 });
  drawing.text(20, 48, `${profile.mcuFamily}, ${profile.variables} JS variables; Kn = relay n of the profile = bit n-1 of the coil mask`);
  drawing.box(20, TOP - 12, MCU_RIGHT - 20, rows.length * ROW_HEIGHT, [], { fill: "#eef3fb" });
  drawing.text(30, TOP + 4, profile.id, { bold: true });
  rows.forEach((row, index) => drawRow(drawing, row, TOP + index * ROW_HEIGHT));
  const notesTop = TOP + rows.length * ROW_HEIGHT + 10;
  notes.forEach((note, index) => drawing.text(20, notesTop + index * 18, note));
  return drawing.render();
}
