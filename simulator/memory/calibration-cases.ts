/**
 * The calibration cases measured on the real interpreter (memory-calibration.tsv), with the
 * snippet each one ran, rebuilt from the case's name as the measurement describes it.
 */
import { readFileSync } from "node:fs";
import type { CodeStore } from "./code-estimate.ts";

export interface CalibrationCase {
  name: string;
  /** upload, bootcode or file (the interpreter started with the file: code in RAM, as an upload); repl: run at the REPL, measured in one statement. */
  howLoaded: "upload" | "bootcode" | "file" | "repl";
  pretokenise: boolean;
  variables: number;
  /** Blocks in use before the snippet ran (the interpreter, the tool's state, the measuring code). */
  blocksBefore: number | undefined;
  /** Measured blocks the snippet left behind; undefined for the upload-limit cases. */
  delta: number | undefined;
  /** For the single-statement limit cases: whether the upload worked. */
  uploaded: boolean | undefined;
  snippet: string;
}

export function codeStoreOf(howLoaded: CalibrationCase["howLoaded"]): CodeStore {
  return howLoaded === "bootcode" ? "bootcode" : "ram";
}

/** `function f(){` + `var a=0;` + as many `a+=1;` as fit + `;` padding to exactly `bodyChars`, + `}`. */
export function functionWithBody(bodyChars: number): string {
  let body = "var a=0;";
  while (body.length + 5 <= bodyChars) body += "a+=1;";
  return `function f(){${body.padEnd(bodyChars, ";")}}`;
}

/** One statement of exactly `chars` characters: an IIFE of small functions a0, a1, ..., padded with `;`. */
export function iifeOfChars(chars: number): string {
  const head = "(function(){";
  const tail = "})();";
  let body = "";
  for (let index = 0; ; index++) {
    const next = `function a${index}(){var x=${index};x+=1;return x;}`;
    if (head.length + body.length + next.length + tail.length > chars) break;
    body += next;
  }
  return head + body.padEnd(chars - head.length - tail.length, ";") + tail;
}

const list = (count: number, item: (index: number) => string) => Array.from({ length: count }, (_, index) => item(index)).join(",");
const CLASS = "class C{constructor(){this.x=1;this.y=2;this.z=3;}m0(){return this.x+0;}m1(){return this.x+1;}m2(){return this.x+2;}m3(){return this.x+3;}m4(){return this.x+4;}}";

/** The snippet a case ran, from its name (see the tsv's header). */
export function snippetOf(name: string): string {
  let match: RegExpExecArray | null;
  if (name === "null") return "";
  if (name === "fn_empty") return "function f(){}";
  if ((match = /^fn_body_(\d+)$/.exec(name))) return functionWithBody(Number(match[1]));
  if (name === "global_int") return "var s=1;";
  if ((match = /^str_(\d+)$/.exec(name))) return `var s="${"x".repeat(Number(match[1]))}";`;
  if ((match = /^obj_(\d+)_short$/.exec(name))) return `var o={${list(Number(match[1]), (i) => `p${i}:${i}`)}}`;
  if ((match = /^obj_(\d+)_name10$/.exec(name))) return `var o={${list(Number(match[1]), (i) => `property${String(i).padStart(2, "0")}:${i}`)}}`;
  if ((match = /^arr_(\d+)$/.exec(name))) return `var a=[${list(Number(match[1]), String)}];`;
  if (name === "u8_100") return "var u=new Uint8Array(100);";
  if (name === "class_5m_3f") return CLASS;
  if (name === "class_5m_3f_10inst") return `${CLASS}\nvar c=[${list(10, () => "new C()")}];`;
  if (name === "closure_1") return "var g=(function(){var a=1,b=2; function h(){return a+b;} return h;})();";
  if (name === "closure_20") return `var g=(function(){var a=1,b=2; ${Array.from({ length: 20 }, (_, i) => `function h${i}(){return a+b;}`).join(" ")} return h0;})();`;
  if ((match = /^peak_iife_K=(\d+)$/.exec(name))) return iifeOfChars(Number(match[1]));
  if (name === "interval_2nd") return "setInterval(function(){},1000);";
  if (name === "timeout_2nd") return "setTimeout(function(){},100000);";
  if (name === "listener_2nd") return 'LoopbackA.on("data",function(){});';
  if (name === "watch_2nd") return "setWatch(function(){}, PIN, {repeat:true});";
  if (name === "fn_expr") return "var f4=function(){};";
  throw new Error(`calibration case ${name}: no snippet known for this name`);
}

const number = (text: string) => (text === "-" ? undefined : Number(text));

/** Every measured row of the fixture (the summary rows `peak_iife_result` are left out: they restate two rows). */
export function calibrationCases(path = new URL("./memory-calibration.tsv", import.meta.url)): CalibrationCase[] {
  const rows = readFileSync(path, "utf8").split("\n").filter((line) => line !== "" && !line.startsWith("#")).slice(1);
  return rows
    .map((row) => row.split("\t"))
    .filter(([name]) => name !== "peak_iife_result")
    .map(([name, howLoaded, pretokenise, variables, before, , delta, notes]) => {
      const isLimit = name.startsWith("peak_iife_K=");
      return {
        name,
        howLoaded: howLoaded as CalibrationCase["howLoaded"],
        pretokenise: pretokenise === "1",
        variables: Number(variables),
        blocksBefore: number(before),
        delta: isLimit ? undefined : number(delta),
        uploaded: isLimit ? notes.startsWith("uploaded OK") : undefined,
        snippet: snippetOf(name),
      };
    });
}
