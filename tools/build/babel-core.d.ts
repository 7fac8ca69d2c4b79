/**
 * The slice of @babel/core that tools/build uses. The project installs Babel without
 * @types/babel__core, so these declarations stand in for it; keep them to what is called.
 */
declare module "@babel/core" {
  namespace babel {
    /** A Babel AST node; fields are read through the `types` helpers. */
    interface Node {
      type: string;
    }

    interface Binding {
      /** "param", "var", "let", "const", "hoisted" (a function declaration), "local", "module". */
      kind: string;
      /** True when the name is never assigned after its declaration. */
      constant: boolean;
      path: NodePath;
      referencePaths: NodePath[];
    }

    interface Scope {
      hasBinding(name: string): boolean;
      getBinding(name: string): Binding | undefined;
      /** The names declared in this scope itself. */
      bindings: Record<string, Binding>;
      /** Renames a binding and every reference to it, shorthand properties included. */
      rename(oldName: string, newName: string): void;
      crawl(): void;
    }

    interface NodePath<N extends Node = Node> {
      node: N;
      scope: Scope;
      replaceWith(node: Node): void;
      remove(): void;
      isClassDeclaration(): boolean;
      traverse(visitor: {
        VariableDeclarator?: (path: NodePath<VariableDeclarator>) => void;
        Identifier?: (path: NodePath<Identifier>) => void;
        Scopable?: (path: NodePath) => void;
      }): void;
    }

    interface VariableDeclarator extends Node {
      type: "VariableDeclarator";
      id: Node & { name: string };
      init: Node | null;
    }

    interface Identifier extends Node {
      type: "Identifier";
      name: string;
    }

    interface SpreadElement extends Node {
      type: "SpreadElement";
      argument: Node;
    }

    interface ObjectExpression extends Node {
      type: "ObjectExpression";
      properties: Node[];
    }

    /** The node builders a plugin receives as `api.types`. */
    interface Types {
      identifier(name: string): Identifier;
      objectExpression(properties: Node[]): ObjectExpression;
      memberExpression(object: Node, property: Node): Node;
      callExpression(callee: Node, args: Node[]): Node;
      cloneNode<N extends Node>(node: N): N;
    }

    interface PluginObject {
      name: string;
      visitor: {
        Identifier?: (path: NodePath<Identifier>) => void;
        ObjectExpression?: (path: NodePath<ObjectExpression>) => void;
        Program?: { exit(path: NodePath): void } | ((path: NodePath) => void);
      };
    }

    type PluginFactory = (api: { types: Types }) => PluginObject;

    interface TransformOptions {
      babelrc: boolean;
      configFile: boolean;
      browserslistConfigFile: boolean;
      sourceType: "script";
      compact: boolean;
      comments: boolean;
      assumptions: Record<string, boolean>;
      plugins: Array<string | PluginFactory>;
    }

    function transformSync(code: string, options: TransformOptions): { code?: string | null } | null;
  }
  export = babel;
}
