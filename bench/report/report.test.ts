/** The report writers: well-formed XML and SVG whatever the scenario text holds, and the summary. */
import { describe, expect, it } from "vitest";
import type { RunReport } from "../runner/results.ts";
import { histogramSvg } from "./histogram-svg.ts";
import { toJUnit, xmlEscape } from "./junit.ts";
import { htmlReport, markdownReport } from "./run-report.ts";
import { timelineOf, timelineSvg } from "./timeline-svg.ts";

const report: RunReport = {
  target: "sim", board: "PICO", seed: 42, startedAt: "2026-01-01T00:00:00.000Z", wallMs: 1234,
  results: [
    { id: "a", title: "passes", requirements: ["SR-1"], status: "pass", failures: [], seed: 1, wallMs: 10, targetMs: 100, measurements: [{ name: "x coil off after due", valueMs: 0.5 }], notes: [], pathKinds: ["network"], timeline: [{ atMs: 0, kind: "path", path: 0, conducting: true }, { atMs: 50, kind: "rx", link: "host", text: "LEVEL 2 mac" }, { atMs: 55, kind: "path", path: 0, conducting: false }] },
    { id: "b", title: "fails <&>", requirements: ["SR-2"], status: "fail", failures: ["saw \x03 and \"quotes\" | pipes"], seed: 2, wallMs: 10, targetMs: 100, measurements: [], notes: ["a note"], pathKinds: ["network"] },
    { id: "c", title: "skipped", requirements: ["SR-3"], status: "skip", failures: [], skipReason: "the serial target lacks faults", seed: 3, wallMs: 0, targetMs: 0, measurements: [], notes: [], pathKinds: ["network"] },
  ],
};

describe("JUnit", () => {
  it("counts, escapes control characters and markup, and carries the seed", () => {
    const xml = toJUnit(report);
    expect(xml).toContain('tests="3" failures="1" skipped="1"');
    expect(xml).toContain('<property name="seed" value="42"/>');
    expect(xml).toContain("saw \\x03 and &quot;quotes&quot;");
    expect(xml).not.toMatch(/[\x00-\x08]/);
    expect(xmlEscape("<a & b>")).toBe("&lt;a &amp; b&gt;");
  });
});

describe("plots", () => {
  it("draws a histogram with p50 and p99, and says so when there is nothing to draw", () => {
    const svg = histogramSvg([0.1, 0.2, 0.3, 1.5], { title: "t", goal: 2 });
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("p99 1.500 ms");
    expect(histogramSvg([], { title: "empty" })).toContain("no samples");
  });

  it("draws a timeline with a lane per path", () => {
    const svg = timelineSvg(timelineOf(report.results[0].timeline!), ["network"], "a");
    expect(svg).toContain("path 0 network");
    expect(svg).toContain("polyline");
  });
});

describe("reports", () => {
  it("Markdown lists every scenario, escapes table pipes and links the plots", () => {
    const md = markdownReport(report, new Map([["plot", "r-plots/p.svg"]]));
    expect(md).toContain("**1 passed, 1 failed, 1 skipped** of 3");
    expect(md).toContain("\\| pipes");
    expect(md).toContain("![plot](r-plots/p.svg)");
  });

  it("HTML inlines the plots", () => {
    const html = htmlReport(report);
    expect(html).toContain("<svg");
    expect(html).toContain("fails &lt;&amp;&gt;");
  });
});
