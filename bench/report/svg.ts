/** The few SVG pieces the report's plots are made of; text is escaped, numbers rounded. */
import { xmlEscape } from "./junit.ts";

export function round(value: number): string {
  return Number(value.toFixed(2)).toString();
}

export function svgDocument(width: number, height: number, body: string[], title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...body,
    `</svg>`,
  ].join("\n");
}

export function text(x: number, y: number, content: string, anchor: "start" | "middle" | "end" = "start", fill = "#222"): string {
  return `<text x="${round(x)}" y="${round(y)}" text-anchor="${anchor}" fill="${fill}">${xmlEscape(content)}</text>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, titleText?: string): string {
  const tooltip = titleText === undefined ? "" : `<title>${xmlEscape(titleText)}</title>`;
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(width, 0.5))}" height="${round(height)}" fill="${fill}">${tooltip}</rect>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke = "#999", dash = ""): string {
  const dashes = dash === "" ? "" : ` stroke-dasharray="${dash}"`;
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${stroke}"${dashes}/>`;
}

export function polyline(points: [number, number][], stroke: string): string {
  return `<polyline fill="none" stroke="${stroke}" stroke-width="1.5" points="${points.map(([x, y]) => `${round(x)},${round(y)}`).join(" ")}"/>`;
}
