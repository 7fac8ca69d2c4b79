/**
 * TypeScript entry → one JavaScript file the Espruino interpreter runs. The two passes are the
 * ones docs/espruino.md section 1 found to pass on the real interpreter: esbuild bundles and strips
 * types, renaming nothing but the property names property-names.ts clears, then Babel lowers
 * what Espruino lacks (parameters, destructuring, spread, computed keys, block scoping, `**`,
 * `?.`).
 *
 * Additions to that recipe, each because the checker caught a helper Espruino cannot run:
 * esbuild is told object rest/spread is supported (its helpers read
 * Object.prototype.hasOwnProperty); Babel's destructuring pass then lowers object rest and
 * babel-object-spread.ts lowers object spread to Object.assign. `setComputedProperties`
 * avoids Babel's defineProperty helper, which reads Symbol. `require` goes through a
 * placeholder (babel-restore-require.ts) because esbuild shims it with Proxy.
 * babel-inline-constants.ts folds named constants into their uses. Last, in a pass of its own
 * over the finished code, babel-short-locals.ts gives parameters, locals and the top-level
 * names no tool reaches short names: a renaming the interpreter allows (class declarations
 * and function expressions keep their names), which saves RAM as well as bytes.
 */
import babel from "@babel/core";
import * as esbuild from "esbuild";
import { createRequire } from "node:module";
import { inlineConstants } from "./babel-inline-constants.ts";
import { objectSpreadToAssign } from "./babel-object-spread.ts";
import { REQUIRE_PLACEHOLDER, restoreRequire } from "./babel-restore-require.ts";
import { shortNames } from "./babel-short-locals.ts";

/** Babel passes, resolved from this file so the build works from any working directory. */
const BABEL_PLUGINS = [
  "@babel/plugin-transform-parameters",
  "@babel/plugin-transform-destructuring",
  "@babel/plugin-transform-spread",
  "@babel/plugin-transform-computed-properties",
  "@babel/plugin-transform-block-scoping",
  "@babel/plugin-transform-exponentiation-operator",
  "@babel/plugin-transform-optional-chaining",
].map((name) => createRequire(import.meta.url).resolve(name));

const BABEL_ASSUMPTIONS = {
  iterableIsArray: true,
  arrayLikeIsIterable: true,
  ignoreFunctionLength: true,
  objectRestNoSymbols: true,
  setComputedProperties: true,
};

/** Compile-time constants, by global name, as JavaScript expressions (JSON text). */
export type Defines = Record<string, string>;

/**
 * Bundles `entryPath` and lowers it for Espruino. The result still needs checkBundle.
 * `publicNames`: the top-level names that stay as written (the ones the console and tools use);
 * every other top-level name is shortened too. Without it, every top-level name stays.
 * `shortProperties`: property names esbuild renames at every use (property-names.ts proves
 * which are safe); every other property keeps its name.
 */
export async function compileEntry(entryPath: string, defines: Defines, publicNames?: readonly string[], shortProperties: readonly string[] = []): Promise<string> {
  const keep = publicNames === undefined ? () => true : (name: string) => publicNames.includes(name);
  return shortenNames(lowerForEspruino(await bundle(entryPath, defines, shortProperties)), keep);
}

/**
 * esbuild: one script of top-level statements (no IIFE wrapper), whitespace and syntax
 * minified, identifiers never renamed, the listed property names shortened. Top level,
 * because every function defined inside a wrapper keeps a link to its scope: about 100 more
 * blocks of RAM for the whole firmware, measured on 2v29 (docs/firmware.md, "Memory").
 */
async function bundle(entryPath: string, defines: Defines, shortProperties: readonly string[]): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entryPath],
    bundle: true,
    write: false,
    logLevel: "silent",
    format: "esm",
    target: "es2017",
    supported: { "nullish-coalescing": true, "class-field": true, "class-static-field": true, "object-rest-spread": true },
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    ...(shortProperties.length > 0 ? { mangleProps: new RegExp(`^(${shortProperties.join("|")})$`) } : {}),
    // package.json "imports": `#sha256` is the board's SHA-256 under this condition.
    conditions: ["espruino"],
    // Espruino rejects fields without an initialiser; TypeScript's assignment semantics drop them.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    define: { ...defines, require: REQUIRE_PLACEHOLDER },
  });
  const [output] = result.outputFiles;
  return output.text;
}

/** Babel with only `plugins`: compact output without comments. */
function transform(code: string, plugins: babel.TransformOptions["plugins"]): { code?: string | null } | null {
  return babel.transformSync(code, {
    babelrc: false,
    configFile: false,
    browserslistConfigFile: false,
    sourceType: "script",
    compact: true,
    comments: false,
    assumptions: BABEL_ASSUMPTIONS,
    plugins,
  });
}

/** Babel: only the listed passes and plugins. */
function lowerForEspruino(code: string): string {
  let result: { code?: string | null } | null;
  try {
    result = transform(code, [...BABEL_PLUGINS, objectSpreadToAssign, restoreRequire, inlineConstants]);
  } catch (error) {
    // E.g. `super(...args)`, which cannot be lowered without Babel's class transform.
    throw new Error(`Babel cannot lower the bundle for Espruino: ${(error as Error).message}\nRewrite the construct it points at by hand.`);
  }
  if (!result?.code) throw new Error("Babel returned no code; run the build again with a smaller entry to find the input it chokes on");
  return result.code;
}

/** Renaming needs the final scopes, so it runs once the lowering passes are done. */
function shortenNames(code: string, keep: (topLevelName: string) => boolean): string {
  const result = transform(code, [shortNames(keep)]);
  if (!result?.code) throw new Error("Babel returned no code when shortening local names; report the bundle that caused it");
  return result.code;
}
