import { describe, expect, it } from "vitest";
import { LEVEL_MAX, LINK_HOST, LINK_OPS } from "../../protocol/constants.ts";
import { INPUT_ARM, INPUT_ESTOP, INPUT_MAINTENANCE, INPUT_TAMPER } from "./inputs.ts";
import { STAGE_CLOSED, STAGE_PULSED } from "./relays.ts";
import { Controller } from "./controller.ts";
import { PATH_KINDS, Rig, testConfig } from "./test-fixture.ts";

const NET_COILS = 0b11;
const POWER_COILS = 0b1100;

/** A rig restored to standard by two operators, with heartbeats flowing and paths closed. */
function runningRig(config = testConfig()): Rig {
  const rig = new Rig(config);
  rig.boot(0);
  const nonce = rig.challenge(0);
  rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
  rig.receive(LINK_OPS, rig.sign(nonce, 0, 1));
  expect(rig.controller.level).toBe(0);
  for (let t = 10, seq = 1; t <= 600; t += 10) {
    if (t % 100 === 0) rig.sendHeartbeat(seq++);
    rig.tick(t);
  }
  return rig;
}

describe("boot", () => {
  it("a freshly provisioned controller boots offline and says HELLO on both links", () => {
    const rig = new Rig();
    const c = rig.boot(0);
    expect(c.level).toBe(3);
    expect(rig.last(LINK_HOST)).toMatch(/^HELLO 2 ctrl-test 0\.1\.0 [0-9a-f]{32} 3 0 npdi$/);
    expect(rig.last(LINK_OPS)).toBe(rig.last(LINK_HOST));
    expect(c.relays.coils).toBe(0);
  });

  it("an unprovisioned controller boots offline with cause config and refuses heartbeats", () => {
    const rig = new Rig(null);
    const c = rig.boot(0);
    expect(c.level).toBe(3);
    expect(c.cause).toBe("config");
    rig.receive(LINK_HOST, "HB 00000000 1 0 " + "00".repeat(16) + " " + "00".repeat(16) + "\n");
    expect(rig.last(LINK_HOST)).toBe("ERR CONFIG");
  });

  it("a corrupt configuration file is treated as missing", () => {
    const rig = new Rig();
    rig.files.gcfg = rig.files.gcfg.replace("ctrl-test", "ctrl-tesu");
    const c = rig.boot(0);
    expect(c.provisioned).toBe(false);
    expect(c.cause).toBe("config");
  });

  it("refuses a configuration whose deadline is shorter than the board's watchdog (ESP32: 1 s)", () => {
    const rig = new Rig();
    const c = new Controller(PATH_KINDS, "0.1.0", 1000);
    c.start({ configFile: rig.files.gcfg, stateSlots: [undefined, undefined], entropy: "", inputs: 0, nowMs: 0 });
    expect(c.provisioned).toBe(false);
    expect(c.cause).toBe("config");
  });

  it("each boot draws a new session nonce", () => {
    const rig = new Rig();
    const first = rig.boot(0).sessionNonce;
    const second = rig.boot(0, "entropy").sessionNonce;
    expect(second).not.toBe(first);
  });
});

describe("heartbeats and deadlines", () => {
  it("closes paths only after each relay was tested alone", () => {
    const rig = new Rig();
    rig.boot(0);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1));
    const seen: number[] = [];
    for (let t = 10, seq = 1; t <= 400; t += 10) {
      if (t % 100 === 0) rig.sendHeartbeat(seq++);
      rig.tick(t);
      const net = rig.controller.relays.coils & NET_COILS;
      if (seen[seen.length - 1] !== net) seen.push(net);
    }
    expect(seen).toEqual([0, 0b01, 0, 0b10, 0, 0b11]);
    expect(rig.controller.relays.stages[0]).toBe(STAGE_CLOSED);
    expect(rig.controller.relays.stages[1]).toBe(STAGE_CLOSED);
  });

  it("a silent host trips to severed at the deadline, then offline", () => {
    const rig = runningRig();
    const last = rig.controller.lastHeartbeatMs;
    rig.tick(last + 999);
    expect(rig.controller.level).toBe(0);
    rig.tick(last + 1000);
    expect(rig.controller.level).toBe(2);
    expect(rig.controller.relays.coils & NET_COILS).toBe(0);
    expect(rig.controller.relays.coils & POWER_COILS).toBe(POWER_COILS);
    rig.tick(last + 2999);
    expect(rig.controller.level).toBe(2);
    rig.tick(last + 3000);
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.relays.coils).toBe(0);
    expect(rig.controller.cause).toBe("deadline");
  });

  it("a heartbeat arriving after the deadline, before the wake-up, does not rescue the level", () => {
    const rig = runningRig();
    const deadline = rig.controller.lastHeartbeatMs + 1000;
    rig.receive(LINK_HOST, rig.heartbeat(rig.controller.lastSeq + 1), deadline + 1);
    expect(rig.controller.level).toBe(2);
    expect(rig.controller.cause).toBe("deadline");
  });

  it("asks to be woken exactly at the deadline", () => {
    const rig = runningRig();
    expect(rig.controller.wakeAtMs).toBe(rig.controller.lastHeartbeatMs + 1000);
  });

  it("acknowledges heartbeats and rejects a replayed sequence by tripping", () => {
    const rig = runningRig();
    const seq = rig.controller.lastSeq;
    rig.sendHeartbeat(seq + 1);
    expect(rig.last(LINK_HOST)).toBe(`ACK ${seq + 1} 0`);
    rig.sendHeartbeat(seq + 1);
    expect(rig.sentOn(LINK_HOST)).toContain("ERR REPLAY");
    expect(rig.controller.level).toBe(2);
  });

  it("a heartbeat of another session is ERR SESSION and trips nothing; relabelled with this session it is a wrong MAC", () => {
    const rig = runningRig();
    const frame = rig.heartbeat(rig.controller.lastSeq + 1);
    rig.boot(rig.nowMs); // new session: the old frame must not verify
    rig.controller.level = 0;
    const before = rig.sent.length;
    rig.receive(LINK_HOST, frame);
    expect(rig.sent.slice(before).map((s) => s.text)).toEqual(["ERR SESSION"]);
    expect(rig.controller.level).toBe(0);
    rig.receive(LINK_HOST, frame.replace(/^HB [0-9a-f]{8} /, `HB ${rig.controller.sessionNonce.slice(0, 8)} `));
    expect(rig.sentOn(LINK_HOST)).toContain("ERR MAC");
    expect(rig.controller.level).toBe(2);
  });

  it("a heartbeat refused for its measurement does not spend its sequence", () => {
    const rig = runningRig();
    const seq = rig.controller.lastSeq + 1;
    rig.receive(LINK_HOST, rig.heartbeat(seq, 0, "ab".repeat(16)));
    expect(rig.sentOn(LINK_HOST)).toContain("ERR MEASUREMENT");
    rig.receive(LINK_HOST, rig.heartbeat(seq));
    expect(rig.last(LINK_HOST)).toBe(`ACK ${seq} 3`);
    expect(rig.controller.lastSeq).toBe(seq);
  });

  it("an unknown measurement trips to offline", () => {
    const rig = runningRig();
    rig.receive(LINK_HOST, rig.heartbeat(rig.controller.lastSeq + 1, 0, "ab".repeat(16)));
    expect(rig.last(LINK_HOST)).toBe("LEVEL 3 measurement");
    expect(rig.controller.relays.coils).toBe(0);
  });

  it("the host may raise up to offline and no further", () => {
    const rig = runningRig();
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 1);
    expect(rig.controller.level).toBe(1);
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 5);
    expect(rig.controller.level).toBe(3);
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 0);
    expect(rig.controller.level).toBe(3);
  });

  it("after a restore, paths stay open until a fresh heartbeat, and the deadline trips again", () => {
    const rig = new Rig();
    rig.boot(0);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0), 100);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 2), 100);
    expect(rig.controller.level).toBe(0);
    for (let t = 110; t < 1100; t += 10) {
      rig.tick(t);
      expect(rig.controller.relays.coils).toBe(0);
    }
    rig.tick(1100);
    expect(rig.controller.level).toBe(2);
  });
});

describe("frames", () => {
  it("a heartbeat's syntax: any field malformed is ERR SYNTAX, every level up to LEVEL_MAX is one", () => {
    const rig = runningRig();
    const [hb, session, seq, level, measurement, mac] = rig.heartbeat(rig.controller.lastSeq + 1).trim().split(" ");
    const variants = [
      [hb, session.slice(1), seq, level, measurement, mac],
      [hb, session + "0", seq, level, measurement, mac],
      [hb, session.toUpperCase().replace(/[0-9]/g, "A"), seq, level, measurement, mac],
      [hb, session, "0" + seq, level, measurement, mac],
      [hb, session, "0", level, measurement, mac],
      [hb, session, "4294967296", level, measurement, mac],
      [hb, session, "12345678901", level, measurement, mac],
      [hb, session, seq, String(LEVEL_MAX + 1), measurement, mac],
      [hb, session, seq, "00", measurement, mac],
      [hb, session, seq, level, measurement.slice(2), mac],
      [hb, session, seq, level, measurement, mac + "0"],
      [hb, session, seq, level, measurement, mac.slice(1)],
      [hb, session, seq, level, measurement],
      [hb, session, seq, level, measurement, mac, "0"],
    ];
    for (const fields of variants) {
      rig.receive(LINK_HOST, fields.join(" ") + "\n", rig.nowMs + 200);
      expect(rig.last(LINK_HOST), fields.join(" ")).toBe("ERR SYNTAX");
    }
    rig.receive(LINK_HOST, "HB  " + [session, seq, level, measurement, mac].join(" ") + "\n", rig.nowMs + 200);
    expect(rig.last(LINK_HOST)).toBe("ERR SYNTAX");
    rig.receive(LINK_HOST, rig.heartbeat(rig.controller.lastSeq + 1, LEVEL_MAX), rig.nowMs + 200);
    expect(rig.last(LINK_HOST)).toMatch(/^ACK \d+ 3$/);
  });

  it("answers garbage with errors, resynchronises at LF, and trips on a flood", () => {
    const rig = runningRig();
    rig.receive(LINK_HOST, "x".repeat(300) + "\n");
    expect(rig.last(LINK_HOST)).toBe("ERR TOOLONG");
    rig.receive(LINK_HOST, "\x03reset()\n");
    expect(rig.last(LINK_HOST)).toBe("ERR CHARSET");
    rig.receive(LINK_HOST, "digitalWrite(B3,1)\n");
    expect(rig.last(LINK_HOST)).toBe("ERR UNKNOWN");
    rig.receive(LINK_HOST, "STATUS\n");
    expect(rig.last(LINK_HOST)).toBe("ERR LINK");
    rig.receive(LINK_HOST, "SYNC\n");
    expect(rig.last(LINK_HOST)).toMatch(/^HELLO /);
    expect(rig.controller.level).toBe(0);
    for (let i = 0; i < 6; i++) rig.receive(LINK_HOST, "junk\n");
    expect(rig.controller.level).toBe(2);
    expect(rig.controller.cause).toBe("flood");
  });

  it("answers a burst of requests in one chunk with at most OUTBOX_MAX replies, and no fault", () => {
    const rig = runningRig();
    rig.controller.receive(LINK_OPS, "SYNC\n".repeat(60) + "STATUS\n".repeat(60), rig.nowMs);
    expect(rig.controller.outbox.length).toBe(24);
    rig.drain();
    expect(rig.controller.level).toBe(0);
  });

  it("limits reply bytes per link per second, so a request flood cannot fill the line", () => {
    const rig = runningRig();
    const before = rig.sentOn(LINK_OPS).length;
    for (let i = 0; i < 400; i++) rig.receive(LINK_OPS, "SYNC\n", rig.nowMs);
    const replies = rig.sentOn(LINK_OPS).slice(before);
    const bytes = replies.reduce((sum, text) => sum + text.length + 1, 0);
    expect(bytes).toBeLessThanOrEqual(8192);
    expect(bytes).toBeGreaterThan(7000); // the earlier ACKs of this second share the budget
    rig.receive(LINK_OPS, "SYNC\n", rig.nowMs + 1000);
    expect(rig.last(LINK_OPS)).toMatch(/^HELLO /);
  });

  it("rate-limits error replies", () => {
    const rig = runningRig();
    const before = rig.sentOn(LINK_OPS).length;
    for (let i = 0; i < 50; i++) rig.receive(LINK_OPS, "nonsense\n");
    const errors = rig.sentOn(LINK_OPS).slice(before).filter((t) => t.startsWith("ERR"));
    expect(errors.length).toBe(8);
  });

  it("splits frames delivered a byte at a time", () => {
    const rig = runningRig();
    const frame = rig.heartbeat(rig.controller.lastSeq + 1);
    for (const ch of frame) rig.receive(LINK_HOST, ch);
    expect(rig.last(LINK_HOST)).toMatch(/^ACK /);
  });

  it("reports status", () => {
    const rig = runningRig();
    rig.receive(LINK_OPS, "STATUS\n");
    expect(rig.last(LINK_OPS)).toMatch(/^STATUS 0 quorum CCOO 0000 \d+ \d+ 0 \d+ \d+ \d+$/);
  });
});

describe("operators", () => {
  it("one signature raises up to offline", () => {
    const rig = runningRig();
    rig.tick(1000);
    const nonce = rig.challenge(3);
    expect(rig.last(LINK_OPS)).toMatch(/ 3 300 1$/);
    rig.receive(LINK_OPS, rig.sign(nonce, 3, 2));
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.cause).toBe("operator");
  });

  it("lowering needs k distinct valid signatures on a fresh, single-use challenge", () => {
    const rig = new Rig();
    rig.boot(0);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
    expect(rig.last(LINK_OPS)).toBe("AUTH 1 2");
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
    expect(rig.last(LINK_OPS)).toBe("ERR DUPLICATE");
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1, "ff".repeat(32)));
    expect(rig.last(LINK_OPS)).toBe("ERR SIGNATURE");
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 7, "d4".repeat(32)));
    expect(rig.last(LINK_OPS)).toBe("ERR OPERATOR");
    expect(rig.controller.level).toBe(3);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1));
    expect(rig.controller.level).toBe(0);
    rig.controller.level = 3; // replay of the same signatures after a trip
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 2));
    expect(rig.last(LINK_OPS)).toBe("ERR CHALLENGE");
  });

  it("a challenge expires", () => {
    const rig = new Rig();
    rig.boot(0);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0), 299_999);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1), 300_000);
    expect(rig.last(LINK_OPS)).toBe("ERR CHALLENGE");
    expect(rig.controller.level).toBe(3);
  });

  it("a level change voids the outstanding challenge", () => {
    const rig = runningRig();
    rig.tick(rig.nowMs + 1001);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
    rig.inputs = INPUT_ESTOP;
    rig.tick(rig.nowMs + 10);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1));
    expect(rig.last(LINK_OPS)).toBe("ERR CHALLENGE");
    expect(rig.controller.level).toBe(3);
  });

  it("challenges are rate-limited", () => {
    const rig = new Rig();
    rig.boot(0);
    rig.challenge(0);
    rig.receive(LINK_OPS, "CHAL 0\n", 500);
    expect(rig.last(LINK_OPS)).toBe("ERR RATE");
  });

  it("irreversible levels need the arm input and never clear", () => {
    const rig = new Rig();
    rig.boot(0);
    let nonce = rig.challenge(4);
    expect(rig.last(LINK_OPS)).toMatch(/ 4 300 2$/);
    rig.receive(LINK_OPS, rig.sign(nonce, 4, 0));
    rig.receive(LINK_OPS, rig.sign(nonce, 4, 1));
    expect(rig.last(LINK_OPS)).toBe("ERR ARM");
    expect(rig.controller.level).toBe(3);
    rig.inputs = INPUT_ARM;
    rig.tick(2000);
    nonce = rig.challenge(4);
    rig.receive(LINK_OPS, rig.sign(nonce, 4, 0));
    rig.receive(LINK_OPS, rig.sign(nonce, 4, 1));
    expect(rig.controller.level).toBe(4);
    expect(rig.controller.cause).toBe("quorum");
    // The decapitation actuator is tested, fires for pulseMs, then stays open.
    let fired = 0;
    for (let t = 2010; t < 4000; t += 10) {
      rig.tick(t);
      if ((rig.controller.relays.coils & 0b110000) === 0b110000) fired += 10;
    }
    // Both coils are on while the closure settles (30 ms), then for pulseMs once confirmed.
    expect(fired).toBeGreaterThanOrEqual(530);
    expect(fired).toBeLessThanOrEqual(550);
    expect(rig.controller.relays.stages[2]).toBe(STAGE_PULSED);
    rig.receive(LINK_OPS, "CHAL 0\n", 5000);
    expect(rig.last(LINK_OPS)).toBe("ERR LEVEL");
  });
});

describe("inputs, faults and persistence", () => {
  it("e-stop trips to offline and releasing it changes nothing", () => {
    const rig = runningRig();
    rig.inputs = INPUT_ESTOP;
    rig.tick(rig.nowMs + 1);
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.relays.coils).toBe(0);
    rig.inputs = 0;
    rig.tick(rig.nowMs + 100);
    expect(rig.controller.level).toBe(3);
  });

  it("a held e-stop or tamper blocks restore challenges", () => {
    const rig = new Rig();
    rig.inputs = INPUT_TAMPER;
    rig.boot(0);
    rig.receive(LINK_OPS, "CHAL 0\n");
    expect(rig.last(LINK_OPS)).toBe("ERR LEVEL");
  });

  it("a welded relay (feedback says energised while released) trips to offline", () => {
    const rig = runningRig();
    rig.tick(rig.nowMs + 10, rig.idealFeedback() & ~0b1);
    expect(rig.controller.level).toBe(0); // relay 0 is energised: energised feedback agrees
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 2); // network opens
    rig.tick(rig.nowMs + 40, rig.idealFeedback() & ~0b1);
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.cause).toBe("relay");
  });

  it("an open coil is caught by the start-up test before the path closes", () => {
    const rig = new Rig();
    rig.boot(0);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1));
    rig.sendHeartbeat(1);
    for (let t = 10; t <= 200; t += 10) {
      rig.tick(t, rig.idealFeedback() | 0b10); // relay 1 never moves
      expect(rig.controller.relays.coils & NET_COILS).not.toBe(NET_COILS);
    }
    expect(rig.controller.level).toBe(3);
  });

  it("interpreter error flags trip", () => {
    const rig = runningRig();
    rig.controller.tick(rig.nowMs + 10, rig.idealFeedback(), 0, ["LOW_MEMORY"]);
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.cause).toBe("errorflag");
  });

  it("an exception cuts every output and trips", () => {
    const rig = runningRig();
    rig.controller.exception(rig.nowMs + 1);
    expect(rig.controller.relays.coils).toBe(0);
    expect(rig.controller.level).toBe(3);
  });

  it("every boot is a doubt: a reboot from probation boots offline, cause boot, latched in the new boot", () => {
    const rig = runningRig();
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 1);
    const bootBefore = rig.controller.boot;
    rig.boot(0);
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.cause).toBe("boot");
    expect(rig.controller.causeBoot).toBe(bootBefore + 1);
  });

  it("a provisioned boot level of severed reboots a standard controller severed; its deadline then takes it offline", () => {
    const rig = runningRig(testConfig({ bootLevel: 2 }));
    rig.boot(0);
    expect(rig.controller.level).toBe(2);
    rig.tick(2999);
    expect(rig.controller.level).toBe(2);
    rig.tick(3000);
    expect(rig.controller.level).toBe(3);
  });

  it("a reboot keeps the cause latched before it, and STATUS shows the boot it was latched in", () => {
    const rig = runningRig();
    rig.inputs = 1;
    rig.tick(rig.nowMs + 10);
    rig.inputs = 0;
    const latched = rig.controller.boot;
    rig.boot(0);
    expect(rig.controller.cause).toBe("estop");
    rig.boot(0);
    rig.receive(LINK_OPS, "STATUS\n");
    expect(rig.last(LINK_OPS)).toMatch(new RegExp(`^STATUS 3 estop OOOO 0000 - 0 0 \\d+ ${latched + 2} ${latched}$`));
  });

  it("consecutive boots share one log entry that counts them; the entries before stay", () => {
    const rig = runningRig();
    const before = rig.controller.log.entries.slice();
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 3);
    for (let i = 0; i < 30; i++) rig.boot(0);
    const entries = rig.controller.log.entries;
    expect(entries.slice(0, before.length)).toEqual(before);
    expect(entries.at(-2)).toMatch(/ host 3 1 [0-9a-f]{32}$/);
    expect(entries.at(-1)).toMatch(new RegExp(` ${rig.controller.boot} 0 boot 3 30 [0-9a-f]{32}$`));
    expect(entries.length).toBe(before.length + 2);
  });

  it("a torn state write boots at least offline", () => {
    const rig = runningRig();
    const newest = rig.controller.write % 2 === 0 ? "gst1" : "gst0";
    rig.files[newest] = rig.files[newest].slice(0, 40);
    rig.boot(0);
    expect(rig.controller.level).toBe(3);
    expect(rig.controller.cause).toBe("state");
  });

  it("maintenance mode never closes a path", () => {
    const rig = new Rig();
    rig.inputs = INPUT_MAINTENANCE;
    rig.boot(0);
    const nonce = rig.challenge(0);
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 0));
    rig.receive(LINK_OPS, rig.sign(nonce, 0, 1));
    for (let t = 10, seq = 1; t <= 600; t += 10) {
      if (t % 100 === 0) rig.sendHeartbeat(seq++);
      rig.tick(t);
      expect(rig.controller.relays.coils).toBe(0);
    }
  });

  it("a probation level pushes status every second on the ops link", () => {
    const rig = runningRig();
    rig.sendHeartbeat(rig.controller.lastSeq + 1, 1);
    const before = rig.sentOn(LINK_OPS).filter((t) => t.startsWith("STATUS 1")).length;
    const end = rig.nowMs + 2000;
    for (let t = rig.nowMs + 10, seq = rig.controller.lastSeq + 1; t <= end; t += 10) {
      if (t % 100 === 0) rig.sendHeartbeat(seq++);
      rig.tick(t);
    }
    expect(rig.sentOn(LINK_OPS).filter((t) => t.startsWith("STATUS 1")).length - before).toBeGreaterThanOrEqual(2);
  });

  it("policy is configurable", () => {
    const rig = new Rig(testConfig({ policy: { mac: 3, replay: 2, measurement: 3, flood: 2, estop: 3, tamper: 3, relay: 3, exception: 3, errorflag: 3 } }));
    rig.boot(0);
    rig.controller.level = 0;
    rig.receive(LINK_HOST, rig.heartbeat(1, 0, undefined, "22".repeat(32)));
    expect(rig.controller.level).toBe(3);
  });
});
