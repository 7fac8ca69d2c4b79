/**
 * A tiny SVG writer for the wiring diagrams: boxes, wires and labels, nothing more. Output
 * depends only on the calls made, so re-generating a diagram gives identical bytes and the
 * committed files can be checked for staleness.
 */

export type Point = [number, number];

export interface TextOptions {
  anchor?: "start" | "middle" | "end";
  bold?: boolean;
  size?: number;
  /** Marks the label as a microcontroller pin name, so tests can compare it with the profile. */
  pin?: boolean;
}

export interface BoxOptions {
  dashed?: boolean;
  fill?: string;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export class Drawing {
  private readonly parts: string[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    readonly title: string,
  ) {}

  text(x: number, y: number, content: string, options: TextOptions = {}): void {
    const attributes = [`x="${x}"`, `y="${y}"`];
    if (options.anchor !== undefined && options.anchor !== "start") attributes.push(`text-anchor="${options.anchor}"`);
    if (options.bold === true) attributes.push('font-weight="bold"');
    if (options.size !== undefined) attributes.push(`font-size="${options.size}"`);
    if (options.pin === true) attributes.push(`data-pin="${escapeXml(content)}"`, 'class="pin"');
    this.parts.push(`<text ${attributes.join(" ")}>${escapeXml(content)}</text>`);
  }

  /** A box with up to two centred lines of text. */
  box(x: number, y: number, width: number, height: number, lines: string[], options: BoxOptions = {}): void {
    const style = [`fill="${options.fill ?? "#ffffff"}"`, 'stroke="#000000"'];
    if (options.dashed === true) style.push('stroke-dasharray="6 4"');
    this.parts.push(`<rect x="${x}" y="${y}" width="${width}" height="${height}" ${style.join(" ")}/>`);
    const top = y + height / 2 - ((lines.length - 1) * 14) / 2 + 4;
    lines.forEach((line, index) => this.text(x + width / 2, top + index * 14, line, { anchor: "middle" }));
  }

  wire(points: Point[], options: { dashed?: boolean } = {}): void {
    const path = points.map(([x, y]) => `${x},${y}`).join(" ");
    const dash = options.dashed === true ? ' stroke-dasharray="4 3"' : "";
    this.parts.push(`<polyline points="${path}" fill="none" stroke="#000000"${dash}/>`);
  }

  /**
   * A contact across a wire between x and x + 30 at height y: a normally-open contact is a
   * raised blade over a gap; a normally-closed one has its blade resting against a stop.
   */
  contact(x: number, y: number, label: string, kind: "no" | "nc" = "no"): void {
    this.wire([[x, y], [x + 8, y]]);
    this.wire([[x + 8, y], [x + 26, y - 9]]);
    if (kind === "nc") this.wire([[x + 22, y - 12], [x + 22, y]]);
    this.wire([[x + 22, y], [x + 30, y]]);
    if (label !== "") this.text(x + 15, y - 14, label, { anchor: "middle", size: 10 });
  }

  render(): string {
    const header = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}" font-family="monospace" font-size="12">`,
      `<title>${escapeXml(this.title)}</title>`,
      `<rect x="0" y="0" width="${this.width}" height="${this.height}" fill="#ffffff"/>`,
    ];
    return [...header, ...this.parts, "</svg>", ""].join("\n");
  }
}
