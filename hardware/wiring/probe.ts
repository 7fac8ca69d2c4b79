/**
 * The bench probe board diagram: what the probe reads (paths, coils) and drives on a controller under test.
 * Pin names come from hardware/probe-pins.ts, the same constants the bench code uses.
 */
import { PROBE } from "../probe-pins.ts";
import { Drawing } from "./svg.ts";

const PATHS = ["net0: conductor 1 in -> out", "power0: Q3+Q4 main contacts (L)", "decap: actuator output", "immol: actuator output"];
const PROBE_X = 880;

function drawSense(drawing: Drawing): void {
  drawing.text(20, 90, "Sense: bench 24 V through each path lights an optocoupler", { bold: true });
  PATHS.forEach((path, index) => {
    const y = 120 + index * 40;
    drawing.box(20, y - 12, 280, 24, [path]);
    drawing.wire([[300, y], [360, y]]);
    drawing.box(360, y - 12, 150, 24, ["4.7k + opto LED"]);
    drawing.wire([[510, y], [560, y]]);
    drawing.box(560, y - 12, 200, 24, [`OK${index + 1} transistor to GND`]);
    drawing.wire([[760, y], [PROBE_X, y]]);
    drawing.text(PROBE_X + 10, y + 4, PROBE.pathSensePins[index], { pin: true });
    drawing.text(PROBE_X + 60, y + 4, "low = conducts", { size: 10 });
  });
}

/** Top of the coil-tap rows, and their spacing: one row per relay of the profile (K1..K8). */
const TAPS_Y = 330;
const TAP_ROW = 28;
const DRIVE_Y = TAPS_Y + PROBE.coilTapPins.length * TAP_ROW + 20;

function drawTaps(drawing: Drawing): void {
  drawing.text(20, TAPS_Y - 30, "Coil taps: each relay coil's own 24 V lights an optocoupler across it (10k in series: about 2 mA beside the coil's 15-42 mA)", { bold: true });
  PROBE.coilTapPins.forEach((pin, relay) => {
    const y = TAPS_Y + relay * TAP_ROW;
    drawing.box(20, y - 11, 280, 22, [`K${relay + 1} coil terminals (A1 +24 V, A2 driver)`]);
    drawing.wire([[300, y], [360, y]]);
    drawing.box(360, y - 11, 150, 22, ["10k + opto LED"]);
    drawing.wire([[510, y], [560, y]]);
    drawing.box(560, y - 11, 200, 22, [`OK${relay + 7} transistor to GND`]);
    drawing.wire([[760, y], [PROBE_X, y]]);
    drawing.text(PROBE_X + 10, y + 4, pin, { pin: true });
    drawing.text(PROBE_X + 60, y + 4, "low = driven", { size: 10 });
  });
}

function drawDrive(drawing: Drawing): void {
  drawing.text(20, DRIVE_Y - 30, "Drive: the probe holds the controller's NC loops closed through optocouplers", { bold: true });
  const rows = [
    [PROBE.estopPin, "OK5", "controller e-stop loop (in series with S1)"],
    [PROBE.tamperPin, "OK6", "controller tamper loop (in series with S2)"],
  ] as const;
  rows.forEach(([pin, opto, loop], index) => {
    const y = DRIVE_Y + index * 40;
    drawing.box(20, y - 12, 340, 24, [loop]);
    drawing.wire([[360, y], [420, y]]);
    drawing.box(420, y - 12, 190, 24, [`${opto} transistor (C-E)`]);
    drawing.wire([[610, y], [660, y]]);
    drawing.box(660, y - 12, 160, 24, ["opto LED + 1k"]);
    drawing.wire([[820, y], [PROBE_X, y]]);
    drawing.text(PROBE_X + 10, y + 4, pin, { pin: true });
    drawing.text(PROBE_X + 60, y + 4, "high = closed", { size: 10 });
  });
  const y = DRIVE_Y + 80;
  drawing.box(20, y - 12, 340, 24, ["controller supply (+24 V feed)"]);
  drawing.wire([[360, y], [420, y]]);
  drawing.box(420, y - 12, 190, 24, ["K9 bench relay NO"]);
  drawing.wire([[610, y], [660, y]]);
  drawing.box(660, y - 12, 160, 24, ["driver + 47k to GND"]);
  drawing.wire([[820, y], [PROBE_X, y]]);
  drawing.text(PROBE_X + 10, y + 4, PROBE.supplyPin, { pin: true });
  drawing.text(PROBE_X + 60, y + 4, "high = powered", { size: 10 });
}

/** What each fault switch's photorelays do (hardware/probe.md, "Fault switches"). */
const FAULT_WIRING: Record<(typeof PROBE.faultSwitches)[number]["name"], [string, string]> = {
  "weld-K1": ["K1 NO (conductor 1): form-A across it; K1 feedback: form-B in series", "weld K1"],
  "weld-K3": ["K3 NO (feeds Q3's coil): form-A across it", "weld K3"],
  "coil-open-K4": ["K4 coil: form-B in series, after the tap", "open K4's coil"],
  "feedback-released-K1": ["K1 feedback chain: form-A across it", "K1 feedback reads released"],
};
const FAULTS_Y = DRIVE_Y + 150;

function drawFaults(drawing: Drawing): void {
  drawing.text(20, FAULTS_Y - 30, "Fault switches: photorelays (LED + 470R from the pin) that make a relay fault on demand; low or a dead probe: no fault", { bold: true });
  PROBE.faultSwitches.forEach(({ name, pin }, index) => {
    const y = FAULTS_Y + index * TAP_ROW;
    const [where, what] = FAULT_WIRING[name];
    drawing.box(20, y - 11, 540, 22, [where]);
    drawing.wire([[560, y], [PROBE_X, y]]);
    drawing.text(PROBE_X + 10, y + 4, pin, { pin: true });
    drawing.text(PROBE_X + 60, y + 4, `high = ${what}`, { size: 10 });
  });
}

/** The probe board diagram as SVG text. */
export function renderProbe(): string {
  const notesY = FAULTS_Y + PROBE.faultSwitches.length * TAP_ROW + 20;
  const drawing = new Drawing(1100, notesY + 100, "Bench probe board: a second Espruino reading paths and coils and driving e-stop and tamper");
  drawing.text(20, 28, `Bench probe: second Espruino (${PROBE.board}), all contact with the controller through optocouplers`, { bold: true, size: 16 });
  drawing.text(20, 48, "Bench only. The probe never drives arm or maintenance: levels 4 and 5 still need a person at the key switch.");
  drawing.box(PROBE_X - 10, 70, 200, notesY - 30 - 70, [], { dashed: true, fill: "none" });
  drawing.text(PROBE_X + 95, 84, `probe ${PROBE.board} (USB to bench PC)`, { anchor: "middle", size: 10 });
  drawSense(drawing);
  drawTaps(drawing);
  drawDrive(drawing);
  drawFaults(drawing);
  const notes = [
    "Never sense a network path with a NIC or switch plugged in: the bench 24 V replaces the Ethernet devices.",
    "Feed the contactors' main contacts from the bench 24 V, not mains. Opto: PC817 class (CTR >= 50 %), or quad PC847.",
    "A dead probe opens both loops, so the controller sees e-stop and tamper and trips: a probe fault never hides a trip.",
    "A tap reads the coil's drive, not its current: a broken winding still reads driven (its contacts then do not follow).",
    "Fault switches are bench equipment: never fit them, or the probe, to a controller in service.",
    "Generated by hardware/wiring/generate.ts from hardware/probe-pins.ts.",
  ];
  notes.forEach((note, index) => drawing.text(20, notesY + index * 18, note));
  return drawing.render();
}
