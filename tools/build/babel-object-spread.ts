/**
 * Babel plugin: object spread `{a: 1, ...b, c}` becomes `Object.assign({a: 1}, b, {c})`.
 * Espruino rejects object spread and has Object.assign. esbuild would lower it itself, but
 * its helpers read `Object.prototype.hasOwnProperty`, which is undefined on Espruino.
 *
 * Differences from spread, as with Babel's `setSpreadProperties` assumption: properties are
 * assigned, not defined, so a setter in the leading literal or on Object.prototype would run.
 * Evaluation order and which property wins are unchanged.
 */
import type babel from "@babel/core";

export const objectSpreadToAssign: babel.PluginFactory = ({ types }) => ({
  name: "object-spread-to-assign",
  visitor: {
    ObjectExpression(path) {
      const properties = path.node.properties;
      if (!properties.some((property) => property.type === "SpreadElement")) return;
      const sources: babel.Node[] = [];
      let literal: babel.Node[] = [];
      for (const property of properties) {
        if (property.type !== "SpreadElement") {
          literal.push(property);
          continue;
        }
        if (literal.length > 0) sources.push(types.objectExpression(literal));
        literal = [];
        sources.push((property as babel.SpreadElement).argument);
      }
      if (literal.length > 0) sources.push(types.objectExpression(literal));
      if (sources[0].type !== "ObjectExpression") sources.unshift(types.objectExpression([]));
      const assign = types.memberExpression(types.identifier("Object"), types.identifier("assign"));
      path.replaceWith(types.callExpression(assign, sources));
    },
  },
});
