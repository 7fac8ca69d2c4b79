/**
 * The web view's page, script and style. The script builds everything with DOM calls and
 * textContent (never HTML from data), draws each controller's paths and relays as inline SVG,
 * and follows /events (Server-Sent Events), so the page updates without reloading. It has no
 * form, no button that acts and nothing that sends a request other than GET.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Guillotine controllers</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <h1>Guillotine controllers</h1>
  <p id="fleet" class="fleet">connecting to the ops daemon...</p>
  <p id="stream" class="stream">live</p>
</header>
<main id="controllers"></main>
<footer>Read-only view served by <code>guillotine ops daemon</code>. Lowering a level takes the operators' quorum: <code>guillotine ops restore</code>.</footer>
</body>
</html>
`;

export const PAGE_STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
header { background: #1d2330; color: #fff; padding: 12px 20px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
h1 { font-size: 20px; margin: 0; }
.fleet { margin: 0; font-size: 15px; }
.stream { margin: 0 0 0 auto; font-size: 13px; color: #9fe3a5; }
.stream.lost { color: #ffb3b3; }
main { display: flex; flex-wrap: wrap; gap: 16px; padding: 16px 20px; }
.card { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.15); padding: 14px 16px; width: 560px; }
.card h2 { margin: 0 0 4px; font-size: 18px; }
.meta { color: #5b6475; font-size: 13px; margin: 0 0 10px; }
.level { display: flex; align-items: center; gap: 10px; margin-bottom: 8px; }
.level-name { font-size: 22px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; }
.badge { border-radius: 4px; padding: 2px 8px; font-size: 12px; color: #fff; background: #5b6475; }
.badge.down { background: #b3261e; }
.badge.up { background: #2e7d32; }
.lv0 { color: #2e7d32; } .lv1 { color: #b58900; } .lv2 { color: #d9480f; } .lv3 { color: #b3261e; } .lv4, .lv5 { color: #6a1b9a; }
table.log { border-collapse: collapse; width: 100%; font-size: 12px; margin-top: 8px; }
table.log td, table.log th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #e3e6ec; }
.inputs { font-size: 13px; margin: 6px 0; }
.inputs span { margin-right: 10px; }
.inputs .on { color: #b3261e; font-weight: 700; }
footer { padding: 8px 20px 20px; color: #5b6475; font-size: 13px; }
`;

export const PAGE_SCRIPT = `"use strict";
const LEVELS = ["standard", "probation", "severed", "offline", "decapitation", "immolation"];
const PATH_COLOURS = { closed: "#2e7d32", open: "#8a93a3", testing: "#b58900", fault: "#b3261e" };
const SVG = "http://www.w3.org/2000/svg";
let fleet = { controllers: [], summary: undefined };

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One relay contact between x and x+40 on row y: a straight bar when closed, a raised blade when open. */
function contact(group, x, y, state) {
  const colour = PATH_COLOURS[state] || PATH_COLOURS.fault;
  group.append(svg("circle", { cx: x, cy: y, r: 3, fill: colour }), svg("circle", { cx: x + 40, cy: y, r: 3, fill: colour }));
  const endY = state === "closed" ? y : y - 12;
  group.append(svg("line", { x1: x, y1: y, x2: x + 38, y2: endY, stroke: colour, "stroke-width": 3, "stroke-dasharray": state === "testing" ? "4 3" : "none" }));
}

/** The paths as a wiring picture: supply, two series relays (1oo2), load; colour by state. */
function pathsPicture(paths) {
  const rowHeight = 46;
  const picture = svg("svg", { width: 528, height: Math.max(1, paths.length) * rowHeight + 8, role: "img", "aria-label": "paths and relays" });
  paths.forEach((path, index) => {
    const y = 30 + index * rowHeight;
    const colour = PATH_COLOURS[path.state] || PATH_COLOURS.fault;
    const row = svg("g", { "data-path": path.name, "data-state": path.state });
    row.append(svg("text", { x: 0, y: y + 4, "font-size": 13, "font-weight": 600 }, path.name));
    row.append(svg("text", { x: 0, y: y + 16, "font-size": 10, fill: "#5b6475" }, path.kind));
    row.append(svg("line", { x1: 90, y1: y, x2: 150, y2: y, stroke: "#1d2330", "stroke-width": 2 }));
    row.append(svg("text", { x: 154, y: y - 19, "font-size": 9, fill: "#5b6475" }, "relay A"), svg("text", { x: 234, y: y - 19, "font-size": 9, fill: "#5b6475" }, "relay B"));
    contact(row, 150, y, path.state);
    row.append(svg("line", { x1: 190, y1: y, x2: 230, y2: y, stroke: path.state === "closed" ? colour : "#c9ced8", "stroke-width": 2 }));
    contact(row, 230, y, path.state);
    row.append(svg("line", { x1: 270, y1: y, x2: 330, y2: y, stroke: path.state === "closed" ? colour : "#c9ced8", "stroke-width": 2 }));
    row.append(svg("rect", { x: 330, y: y - 9, width: 18, height: 18, fill: path.state === "closed" ? colour : "#fff", stroke: "#1d2330" }));
    row.append(svg("text", { x: 362, y: y + 5, "font-size": 13, fill: colour, "font-weight": 700 }, path.state === "fault" ? "FEEDBACK FAULT" : path.state));
    picture.append(row);
  });
  return picture;
}

function ago(ms) {
  if (ms === null || ms === undefined) return "none this session";
  return ms < 10000 ? ms + " ms ago" : Math.round(ms / 1000) + " s ago";
}

// After a reboot the cause latched before it stays beside the boot, never replaced by it.
function latched(view) {
  if (view.boot === undefined || view.causeBoot === undefined || view.boot === view.causeBoot) return "";
  return " (latched " + (view.boot - view.causeBoot) + " boot(s) ago)";
}

function card(view) {
  const name = view.id || view.port;
  const node = element("section", { class: "card", "data-controller": name });
  node.append(element("h2", {}, name));
  node.append(element("p", { class: "meta" }, "ops link " + view.port + (view.firmware ? " \\u00b7 firmware " + view.firmware : "") + (view.session ? " \\u00b7 session " + view.session.slice(0, 8) : "")));
  const level = element("div", { class: "level" });
  const levelName = element("span", { class: "level-name lv" + (view.level === undefined ? "x" : view.level) }, view.levelName || "unknown");
  level.append(levelName, element("span", { class: "cause" }, view.cause ? "cause " + view.cause + latched(view) : ""));
  const answering = view.answering ? "answering" : view.link === "up" ? "silent" : "link " + view.link;
  level.append(element("span", { class: "badge " + (view.answering ? "up" : "down") }, answering));
  node.append(level);
  if (view.linkReason) node.append(element("p", { class: "meta" }, "link: " + view.linkReason));
  node.append(pathsPicture(view.paths));
  const inputs = element("p", { class: "inputs" });
  for (const [key, active] of Object.entries(view.inputs || {})) inputs.append(element("span", { class: active ? "on" : "off" }, key + (active ? " ACTIVE" : " off")));
  node.append(inputs);
  const statusAge = view.statusAtMs ? Math.round((Date.now() - view.statusAtMs) / 1000) + " s ago" : "never";
  node.append(element("p", { class: "meta heartbeat" }, "heartbeat " + ago(view.heartbeatAgeMs) + " \\u00b7 status " + statusAge + (view.uptimeS !== undefined ? " \\u00b7 uptime " + view.uptimeS + " s" : "")));
  if (view.log.length > 0) {
    const table = element("table", { class: "log" });
    const head = element("tr");
    for (const title of ["#", "boot", "uptime", "cause", "level"]) head.append(element("th", {}, title));
    table.append(head);
    for (const entry of view.log.slice().reverse()) {
      const row = element("tr");
      for (const value of [entry.index, entry.boot, entry.uptimeS + " s", entry.cause, entry.levelName]) row.append(element("td", {}, String(value)));
      table.append(row);
    }
    node.append(table);
  }
  return node;
}

function render() {
  const summary = fleet.summary;
  if (summary) {
    const levels = Object.entries(summary.levels).filter(([, count]) => count > 0).map(([name, count]) => count + " " + name).join(", ");
    document.getElementById("fleet").textContent = summary.controllers + " controller(s), " + summary.answering + " answering" +
      (summary.linksDown ? ", " + summary.linksDown + " link(s) down" : "") + (levels ? " \\u00b7 " + levels : "") +
      (summary.highestLevel !== undefined ? " \\u00b7 highest " + LEVELS[summary.highestLevel] : "");
  }
  document.getElementById("controllers").replaceChildren(...fleet.controllers.map(card));
}

const stream = new EventSource("/events");
stream.onmessage = (message) => {
  fleet = JSON.parse(message.data);
  document.getElementById("stream").textContent = "live \\u00b7 updated " + new Date().toLocaleTimeString();
  document.getElementById("stream").className = "stream";
  render();
};
stream.onerror = () => {
  document.getElementById("stream").textContent = "connection to the daemon lost; retrying";
  document.getElementById("stream").className = "stream lost";
};
setInterval(render, 1000);
`;
