/**
 * The metadata XML that `stonith_admin --metadata` and `pcs stonith describe` read, in the
 * shape the fence-agents project prints: resource-agent, longdesc, one parameter
 * per option (with its getopt spelling and content type) and the actions.
 */
import { ACTIONS, PARAMETERS } from "./options.ts";
import type { Parameter } from "./options.ts";

export const AGENT_NAME = "fence_guillotine";
const SHORTDESC = "Fence agent for a Guillotine fail-safe relay controller";
const LONGDESC =
  "fence_guillotine fences the server behind a Guillotine controller by raising the controller's " +
  "isolation level over its ops link, signed by one operator's key, and succeeds only once the " +
  "controller reads the network (and, at offline, power) paths back open from the relays' " +
  "force-guided contacts. It never lowers a level: on is refused, since lowering takes a quorum " +
  "of operators (guillotine ops restore), and reboot only turns the server off.";

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** `-o, --action=[action]` as fence-agents writes it. */
function getoptMixed(parameter: Parameter): string {
  const value = parameter.type === "boolean" ? "" : `=[${parameter.name === "plug" ? "id" : parameter.longopt.split("-").at(-1)}]`;
  return `${parameter.short === undefined ? "" : `-${parameter.short}, `}--${parameter.longopt}${value}`;
}

function content(parameter: Parameter): string[] {
  const fallback = parameter.default === undefined ? "" : ` default="${escape(parameter.default)}"`;
  if (parameter.type !== "select") return [`\t\t<content type="${parameter.type}"${fallback} />`];
  const options = (parameter.choices ?? []).map((choice) => `\t\t\t<option value="${escape(choice)}" />`);
  return [`\t\t<content type="select"${fallback} >`, ...options, "\t\t</content>"];
}

function parameterXml(parameter: Parameter, name: string, attribute: string): string[] {
  return [
    `\t<parameter name="${name}" unique="0" required="${parameter.required ? 1 : 0}"${attribute}>`,
    `\t\t<getopt mixed="${escape(getoptMixed(parameter))}" />`,
    ...content(parameter),
    `\t\t<shortdesc lang="en">${escape(parameter.shortdesc)}</shortdesc>`,
    "\t</parameter>",
  ];
}

export function metadataXml(): string {
  const lines = [
    '<?xml version="1.0" ?>',
    `<resource-agent name="${AGENT_NAME}" shortdesc="${escape(SHORTDESC)}" >`,
    `<longdesc>${escape(LONGDESC)}</longdesc>`,
    "<parameters>",
  ];
  for (const parameter of PARAMETERS) {
    // fence-agents lists plug twice: "port" for configurations written before it was renamed.
    if (parameter.name === "plug") lines.push(...parameterXml(parameter, "port", ' deprecated="1"'));
    lines.push(...parameterXml(parameter, parameter.name, parameter.name === "plug" ? ' obsoletes="port"' : ""));
  }
  lines.push("</parameters>", "<actions>");
  for (const action of ACTIONS) lines.push(action === "on" ? '\t<action name="on" automatic="0"/>' : `\t<action name="${action}" />`);
  lines.push("</actions>", "</resource-agent>");
  return lines.join("\n") + "\n";
}
