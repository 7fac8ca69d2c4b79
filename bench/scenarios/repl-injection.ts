/**
 * The host link is not a console (DESIGN 7, protocol section 1): REPL control bytes and
 * JavaScript sent on it are refused as frames and never evaluated. Nothing may change: no
 * console move, no reset, no pin driven, no save; only protocol frames come back; and the
 * level rises at most as the flood policy allows.
 */
import { parseControllerFrame } from "../../protocol/controller-frames.ts";
import type { LinkName } from "../harness/timeline.ts";
import type { Scenario, ScenarioContext } from "./scenario.ts";

/** Attacks on the REPL line discipline; `coil` is a relay coil pin of an open actuator path. */
export function replAttacks(coil: string): string[] {
  return [
    "\x03",
    "\x03\x03reset()\n",
    `digitalWrite(${coil},1)\n`,
    `\x10digitalWrite(${coil},1)\n`,
    "E.setConsole(Serial2,{force:true})\n",
    "E.setConsole(\"Serial1\")\n",
    "\x10save()\n",
    "\x1b[A\x1b[B\n",
    "load()\r\n",
  ];
}

interface Before {
  console: string | undefined;
  resets: number;
  bootCount: number;
  flashWrites: number;
}

function internals(context: ScenarioContext): Before | undefined {
  if (!context.target.capabilities.has("internals")) return undefined;
  const snapshot = context.target.snapshot();
  return { console: snapshot.console.device, resets: snapshot.resets.length, bootCount: snapshot.bootCount, flashWrites: snapshot.flash.writes };
}

/** An actuator path's first coil: driving it would show in the coil events. */
function actuatorCoil(context: ScenarioContext): { relay: number; pin: string } {
  const relay = 2 * context.target.pathKinds.findIndex((kind) => kind === "decapitation");
  return { relay, pin: context.target.coilPins[relay] };
}

function injection(link: LinkName): Scenario {
  return {
    id: `repl-injection-${link}`,
    title: `REPL control bytes and JavaScript on the ${link} link are never evaluated`,
    requirements: ["SR-8", "SR-9"],
    async run(context) {
      const { target, session } = context;
      await session.bringUp();
      const before = internals(context);
      const coil = actuatorCoil(context);
      const sinceMs = target.nowMs();
      for (const attack of replAttacks(coil.pin)) {
        target.send(link, attack);
        await target.wait(50);
      }
      await target.wait(200);
      const foreign = target.timeline.received(link, sinceMs).filter((text) => parseControllerFrame(text).type === "invalid");
      context.check(foreign.length === 0, `only protocol frames may come back on the ${link} link; got ${JSON.stringify(foreign)}`);
      context.check(session.level <= Math.max(0, target.config.policy.flood), `the attack may raise the level at most to the flood policy's ${target.config.policy.flood}; controller says ${session.level}`);
      const driven = target.timeline.first("coil", sinceMs, (event) => event.relay === coil.relay && event.energised);
      context.check(driven === undefined, `relay ${coil.relay} (${coil.pin}) was energised at ${driven?.atMs} ms: the injected digitalWrite ran`);
      const after = internals(context);
      if (before !== undefined && after !== undefined) {
        context.check(after.console === before.console, `the console moved from ${before.console} to ${after.console}`);
        context.check(after.resets === before.resets && after.bootCount === before.bootCount, `the interpreter restarted (resets ${before.resets} -> ${after.resets}, boots ${before.bootCount} -> ${after.bootCount}): reset()/load() ran`);
        // The controller persists its state on each level change (a flood trip here); any other write is save().
        const levelChanges = target.timeline.received("host", sinceMs).filter((text) => text.startsWith("LEVEL ")).length;
        context.check(after.flashWrites - before.flashWrites <= levelChanges, `flash was written ${after.flashWrites - before.flashWrites} times for ${levelChanges} level changes: save() ran`);
      }
      const hello = await session.request(link, "SYNC\n", (frame) => frame.type === "HELLO", 1000);
      context.check(hello !== undefined, `SYNC on the ${link} link got no HELLO after the attack`);
    },
  };
}

export const REPL_INJECTION: Scenario[] = [injection("host"), injection("ops")];
