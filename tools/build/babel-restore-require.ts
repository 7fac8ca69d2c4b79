/**
 * Babel plugin: turns the placeholder `__espruinoRequire` back into Espruino's `require`.
 * esbuild rewrites every free `require` of an iife bundle into a `__require` shim that reads
 * Proxy; so pipeline.ts defines `require` as this placeholder for esbuild, and this pass puts
 * the board's own `require("crypto")` / `require("Storage")` back.
 */
import type babel from "@babel/core";

/** The name esbuild sees instead of `require`; it must appear nowhere else in the firmware. */
export const REQUIRE_PLACEHOLDER = "__espruinoRequire";

export const restoreRequire: babel.PluginFactory = ({ types }) => ({
  name: "restore-require",
  visitor: {
    Identifier(path) {
      if (path.node.name === REQUIRE_PLACEHOLDER && !path.scope.hasBinding(REQUIRE_PLACEHOLDER)) {
        path.replaceWith(types.identifier("require"));
      }
    },
  },
});
