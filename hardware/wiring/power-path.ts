/**
 * The power path and the two actuator paths. Mains goes through two contactors in series, each
 * coil fed by one force-guided relay, with the e-stop's second contact cutting both coils
 * directly (stop category 0, IEC 60204-1). Generic: pins are in the controller diagrams.
 */
import { Drawing } from "./svg.ts";

function drawMains(drawing: Drawing): void {
  drawing.text(20, 80, "Mains (own breaker)", { bold: true });
  drawing.box(20, 90, 130, 90, ["lab distribution", "L / N / PE"]);
  drawing.box(900, 90, 170, 90, ["AI server PSU(s)"]);
  for (const [label, y] of [["L", 110], ["N", 140]] as const) {
    drawing.wire([[150, y], [360, y]]);
    drawing.contact(360, y, `Q3 ${label}`);
    drawing.wire([[390, y], [600, y]]);
    drawing.contact(600, y, `Q4 ${label}`);
    drawing.wire([[630, y], [900, y]]);
  }
  drawing.wire([[150, 170], [900, 170]], { dashed: true });
  drawing.text(480, 166, "PE: never switched", { anchor: "middle", size: 10 });
}

function drawCoils(drawing: Drawing): void {
  drawing.text(20, 230, "Contactor coils (24 V DC)", { bold: true });
  drawing.box(20, 245, 100, 30, ["+24 V"]);
  drawing.wire([[120, 260], [180, 260]]);
  drawing.contact(180, 260, "S1 NC (e-stop)", "nc");
  drawing.wire([[210, 260], [260, 260], [260, 320]]);
  for (const [relay, contactor, y] of [["K3", "Q3", 260], ["K4", "Q4", 320]] as const) {
    drawing.wire([[260, y], [330, y]]);
    drawing.contact(330, y, `${relay} NO`);
    drawing.wire([[360, y], [420, y]]);
    drawing.box(420, y - 12, 120, 24, [`${contactor} coil`]);
    drawing.wire([[540, y], [600, y]]);
    drawing.text(605, y + 4, "0 V");
  }
  drawing.text(20, 370, "Feedback", { bold: true });
  for (const [relay, contactor, y] of [["K3", "Q3", 400], ["K4", "Q4", 440]] as const) {
    drawing.text(20, y + 4, "+5 V");
    drawing.wire([[60, y], [150, y]]);
    drawing.contact(150, y, `${relay} NC`, "nc");
    drawing.wire([[180, y], [280, y]]);
    drawing.contact(280, y, `${contactor} mirror NC`, "nc");
    drawing.wire([[310, y], [360, y]]);
    drawing.box(360, y - 10, 60, 20, ["1k"]);
    drawing.wire([[420, y], [460, y]]);
    drawing.text(465, y + 4, `${relay} feedback pin (1.8k to GND)`);
  }
}

function drawActuators(drawing: Drawing): void {
  drawing.text(20, 480, "Actuators (pulsed on entering level 4 or 5)", { bold: true });
  drawing.box(20, 495, 100, 30, ["+24 V"]);
  drawing.wire([[120, 510], [180, 510]]);
  drawing.contact(180, 510, "S3 NO (key)");
  drawing.wire([[210, 510], [260, 510], [260, 570]]);
  for (const [first, second, load, y] of [["K5", "K6", "decapitation actuator", 510], ["K7", "K8", "immolation output", 570]] as const) {
    drawing.wire([[260, y], [330, y]]);
    drawing.contact(330, y, `${first} NO`);
    drawing.wire([[360, y], [430, y]]);
    drawing.contact(430, y, `${second} NO`);
    drawing.wire([[460, y], [520, y]]);
    drawing.box(520, y - 12, 200, 24, [load]);
    drawing.wire([[720, y], [780, y]]);
    drawing.text(785, y + 4, "0 V");
  }
}

/** The power and actuator path diagram as SVG text. */
export function renderPowerPath(): string {
  const drawing = new Drawing(1100, 780, "Power path and actuator paths: contactors, e-stop category 0, feedback");
  drawing.text(20, 28, "Power path (power0) and actuator paths (decap, immol)", { bold: true, size: 16 });
  drawing.text(20, 48, "Relay Kn is driven from the controller diagram's coil pin n; Qn are 24 V DC contactors with mirror contacts.");
  drawMains(drawing);
  drawCoils(drawing);
  drawActuators(drawing);
  const notes = [
    "Q3 and Q4 main contacts are in series on L and N: the server is powered only while both relays are energised (1oo2).",
    "The e-stop S1 has two NC contacts: one opens the contactor coil supply directly (category 0, independent of the controller),",
    "the other is the e-stop input, so the firmware latches offline. Releasing S1 restarts nothing: K3/K4 stay open until a quorum.",
    "A welded Q3 main contact holds its mirror NC open (IEC 60947-4-1 Annex F), so K3's feedback disagrees with 'released' and trips.",
    "The key switch S3 has two contacts: one is the arm input, the other breaks the actuator supply, so arming is physical twice over.",
    "Size Q3/Q4 by the servers' AC-1 current and PSU inrush. Suppress the contactor coils with varistors or TVS diodes: a plain",
    "flyback diode slows drop-out. Measure the cut time (command to contacts open) at commissioning; see hardware/procedures.md.",
  ];
  notes.forEach((note, index) => drawing.text(20, 630 + index * 18, note));
  return drawing.render();
}
