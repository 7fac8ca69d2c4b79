/**
 * One simulator per state directory: two processes sharing a flash image would each
 * overwrite the other's saves. The lock is a file holding the owner's pid; a lock left by a
 * process that no longer exists is taken over.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupOnExit } from "./exit-cleanup.ts";

const LOCK_FILE = "simulator.lock";

/** Takes the lock on `directory` (created when missing); returns its release function. */
export function lockStateDirectory(directory: string): () => void {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      const release = () => rmSync(path, { force: true });
      const forget = cleanupOnExit(release);
      return () => {
        forget();
        release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(path, "utf8"));
      if (isAlive(owner)) {
        throw new Error(`state directory ${directory} is in use by the simulator with pid ${owner}: stop it, or pass another --state-dir`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`cannot lock state directory ${directory}: remove ${path} if no simulator runs`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
