/**
 * The tree against docs/architecture.md: every import between top-level folders is one the
 * table allows, every folder with code is in the table, and no two files import each other,
 * directly or around a loop. Imports are read with TypeScript's own pre-processor, so a
 * type-only import, a re-export and a dynamic import with a literal path all count.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(new URL(import.meta.url).pathname), "..", "..");
const CODE = /\.(ts|mjs)$/;

/** The table's rows: folder -> the folders it may import. */
function allowedArrows(): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  const text = readFileSync(join(ROOT, "docs", "architecture.md"), "utf8");
  for (const line of text.split("\n")) {
    const row = /^\| `([a-z]+)\/` \|.*\| ([^|]+) \|$/.exec(line);
    if (row === null) continue;
    const targets = row[2].trim() === "—" ? [] : row[2].split(",").map((cell) => cell.trim().replace(/`/g, ""));
    rows.set(row[1], new Set(targets));
  }
  return rows;
}

/** Tests and the rigs and fixtures only tests share. */
function isTestCode(path: string): boolean {
  return /\.test\.ts$/.test(path) || /(^|\/)(testing|conformance|fixtures)\//.test(path) || path.endsWith("/test-fixture.ts");
}

function codeFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  return listed.split("\n").filter((path) => CODE.test(path));
}

interface Import {
  from: string;
  to: string;
}

function imports(files: string[]): Import[] {
  const known = new Set(files);
  const found: Import[] = [];
  for (const from of files) {
    const text = readFileSync(join(ROOT, from), "utf8");
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const to = normalize(join(dirname(from), fileName));
      if (!known.has(to)) throw new Error(`${from} imports ${fileName}, which is not a file of the tree`);
      found.push({ from, to });
    }
  }
  return found;
}

const folderOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : ".");

/** Every file on a cycle, as the cycles' member lists (Tarjan's strongly connected components). */
function cycles(edges: Import[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== node);
    if (members.length > 1) found.push(members.sort());
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("the tree follows docs/architecture.md", () => {
  const arrows = allowedArrows();
  const files = codeFiles();
  const edges = imports(files);

  it("names every folder with code, and every folder it names exists", () => {
    const folders = new Set(files.map(folderOf).filter((folder) => folder !== "."));
    expect([...folders].filter((folder) => !arrows.has(folder))).toEqual([]);
    expect([...arrows.keys()].filter((folder) => !folders.has(folder))).toEqual([]);
    for (const [folder, targets] of arrows) for (const target of targets) expect(arrows.has(target), `${folder} may import ${target}, which the table does not name`).toBe(true);
  });

  it("production code imports only the folders its row allows", () => {
    const against = edges
      .filter(({ from, to }) => !isTestCode(from) && folderOf(from) !== "." && folderOf(from) !== folderOf(to))
      .filter(({ from, to }) => !arrows.get(folderOf(from))!.has(folderOf(to)))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(against).toEqual([]);
  });

  it("production code imports no test rig, except in the checking folders (bench, tools)", () => {
    const rigs = edges
      .filter(({ from, to }) => !isTestCode(from) && isTestCode(to) && !["bench", "tools"].includes(folderOf(from)))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(rigs).toEqual([]);
  });

  it("the folders' arrows make no cycle", () => {
    const folderEdges = [...arrows].flatMap(([from, targets]) => [...targets].map((to) => ({ from, to })));
    expect(cycles(folderEdges)).toEqual([]);
  });

  it("no import cycle between files, type-only imports included", () => {
    expect(cycles(edges)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("find a cycle around three files and none in a chain", () => {
    expect(cycles([{ from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" }, { from: "c", to: "d" }])).toEqual([["a", "b", "c"]]);
    expect(cycles([{ from: "a", to: "b" }, { from: "b", to: "c" }])).toEqual([]);
  });

  it("tell tests and their rigs from production code", () => {
    expect(isTestCode("ops/log-chain.test.ts")).toBe(true);
    expect(isTestCode("simulator/testing/firmware-rig.ts")).toBe(true);
    expect(isTestCode("protocol/conformance/peer.ts")).toBe(true);
    expect(isTestCode("firmware/core/test-fixture.ts")).toBe(true);
    expect(isTestCode("ops/log-chain.ts")).toBe(false);
  });
});
