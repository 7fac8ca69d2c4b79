/**
 * The variable store of one interpreter run, as process.memory() reports it and as the REPL
 * runs out of it (simulator/memory/ holds the model and docs/simulator.md its calibration):
 *
 *   usage = the interpreter's own base
 *         + the code part: what the statements and boot code run so far defined
 *           (functions, their code, scopes, declared names), from their source text
 *         + the data part: every value the program can still reach, closures included
 *         + what the interpreter keeps of the built-ins the program reached (first-use.ts)
 *         + blocks taken by the memory-pressure fault.
 *
 * A REPL statement needs its received text, its parsed copy and what it defines all at once:
 * when that peak does not fit, the statement is not run, as on the board where it runs out
 * part-way and nothing it defined stays reachable.
 */
import { CodeEstimator, type StatementEstimate } from "../memory/code-estimate.ts";
import { ScopeReader, heapDataBlocks, type HeapContext, type HeapRoots } from "../memory/heap-walk.ts";
import { blockLayout, type BlockLayout } from "../memory/layout.ts";

/** A fresh 2v29 interpreter's own usage (root, built-in objects, devices), measured on the 32-bit build. */
export const INTERPRETER_BASE_BLOCKS = 60;
/** Below this many free blocks Espruino is short of memory (raises LOW_MEMORY). */
export const LOW_MEMORY_FREE_BLOCKS = 100;

export class ProgramMemory {
  readonly layout: BlockLayout;
  private readonly estimator: CodeEstimator;
  private structureBlocks = 0;
  private bootCode = "";
  private readonly scopes = new ScopeReader();
  private readonly functionCosts = new Map<string, number>();

  constructor(readonly variables: number) {
    this.layout = blockLayout(variables);
    this.estimator = new CodeEstimator({ variables, mode: "ram" });
  }

  /** What `code` would need as the next REPL statement; changes nothing. */
  preview(code: string): StatementEstimate {
    return this.estimator.statement(code, { dryRun: true });
  }

  /** `code` ran as a REPL statement (or saved code restored at boot). */
  ranStatement(code: string): void {
    this.structureBlocks += this.estimator.statement(code).structureBlocks;
  }

  /** `code` ran as boot code from Storage: its functions keep their code in flash. */
  ranBootCode(code: string): void {
    this.bootCode += code;
    this.structureBlocks += this.estimator.statement(code, { mode: "bootcode" }).structureBlocks;
  }

  /** The interpreter is gone: let V8 free the scopes the walk held on to. */
  dispose(): void {
    this.scopes.dispose();
  }

  /** Blocks in use, given what the program can reach now; `heldBlocks`: what the interpreter holds besides (first uses, memory pressure). */
  usageBlocks(roots: HeapRoots, realm: Pick<HeapContext, "builtIns" | "plainPrototypes">, heldBlocks: number): number {
    const data = heapDataBlocks(roots, {
      ...realm,
      layout: this.layout,
      variables: this.variables,
      definedFunctions: this.estimator.definedFunctions,
      globalNames: this.estimator.globalNames,
      bootCode: this.bootCode,
      pretokenise: this.estimator.pretokenised,
      scopes: this.scopes,
      functionCosts: this.functionCosts,
    });
    return INTERPRETER_BASE_BLOCKS + this.structureBlocks + data + heldBlocks;
  }
}
