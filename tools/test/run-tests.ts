/**
 * Runs the vitest suite and ends with the plain `N passed, N failed` line CI reads.
 * Extra arguments go to vitest (e.g. a file filter).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const directory = mkdtempSync(join(tmpdir(), "guillotine-tests-"));
const report = join(directory, "vitest.json");
const result = spawnSync(
  "node_modules/.bin/vitest",
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: "inherit" },
);
let passed = 0;
let failed = 0;
try {
  const summary = JSON.parse(readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number };
  passed = summary.numPassedTests;
  failed = summary.numFailedTests;
} catch {
  failed += 1;
  console.error("run-tests: vitest wrote no report; counting the run as failed");
}
rmSync(directory, { recursive: true, force: true });
// A file that fails to load fails the run without failing a test: count it.
if (result.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && result.status === 0 ? 0 : 1;
