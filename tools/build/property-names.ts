/**
 * Which property names the firmware bundle may shorten. Espruino keeps every property name as a
 * string in RAM, in one block up to four characters and an extension block beyond: a
 * controller field called `lastStatusPushMs` costs two blocks more than one called `a`. A name
 * is shortened only where the type checker proves that every use of it in the firmware's
 * sources means one of the firmware's own in-memory members, so that esbuild may rename all its
 * uses together. A name stays as written when any use of it:
 * - is declared by the language or by Espruino (espruino.d.ts), used or not, or in a shared format
 *   (protocol/ types, hardware/ profile types): the configuration file, the built-in profile,
 *   the frames;
 * - cannot be resolved (a value of type `any`, such as a JSON.parse result), or is written as a
 *   quoted key or `x["name"]`;
 * - goes into or out of JSON (JSON.stringify's argument, Object.keys/entries, for-in): the
 *   persisted state slots keep their key names across firmware versions;
 * - is reached from outside the bundle (`keep`: the maintenance console, the CPU calibration).
 */
import ts from "typescript";
import { dirname, resolve, sep } from "node:path";

/** Folders whose interfaces and type literals describe only the firmware's own memory. */
const OWN_TYPE_FOLDERS = ["firmware"];

export interface PropertyNames {
  /** Names every use of which is the firmware's own member: safe to rename everywhere. */
  shorten: string[];
  /** For each name kept, the first reason found (for the build's tests and a reader). */
  kept: Map<string, string>;
}

/** The property names of the program `tsconfigPath` describes (its test files excluded). */
export function firmwarePropertyNames(tsconfigPath: string, keep: readonly string[]): PropertyNames {
  const root = resolve(dirname(tsconfigPath), "..");
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${tsconfigPath}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
    },
  });
  if (parsed === undefined) throw new Error(`${tsconfigPath}: cannot be read as a TypeScript configuration`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const checker = program.getTypeChecker();
  const candidates = new Set<string>();
  const kept = new Map<string, string>();
  const keepName = (name: string, why: string) => {
    if (!kept.has(name)) kept.set(name, why);
  };
  for (const name of keep) keepName(name, "reached from outside the bundle");

  const isOwnFile = (file: ts.SourceFile) => !file.isDeclarationFile && file.fileName.startsWith(root + sep);
  /** Whether `declaration` is an in-memory member of the firmware: a class member, or a member of a firmware-only type. */
  const isOwnMember = (declaration: ts.Declaration): boolean => {
    const file = declaration.getSourceFile();
    if (!isOwnFile(file)) return false;
    const parent = declaration.parent;
    if (ts.isClassDeclaration(parent) || ts.isClassExpression(parent)) return true;
    if (ts.isParameter(declaration) && ts.isConstructorDeclaration(parent)) return true;
    const folder = file.fileName.slice(root.length + 1).split(sep)[0];
    return OWN_TYPE_FOLDERS.includes(folder) && (ts.isInterfaceDeclaration(parent) || ts.isTypeLiteralNode(parent) || ts.isObjectLiteralExpression(parent));
  };
  const where = (node: ts.Node) => {
    const file = node.getSourceFile();
    const { line } = file.getLineAndCharacterOfPosition(node.getStart());
    return `${file.fileName.slice(root.length + 1)}:${line + 1}`;
  };
  /** One use of `name` at `node`, meaning `symbol` (undefined: unresolved). */
  const use = (name: string, node: ts.Node, symbol: ts.Symbol | undefined) => {
    const declarations = symbol?.declarations ?? [];
    if (declarations.length === 0) return keepName(name, `unresolved at ${where(node)}`);
    const foreign = declarations.find((declaration) => !isOwnMember(declaration));
    if (foreign !== undefined) return keepName(name, `declared at ${where(foreign)}`);
    candidates.add(name);
  };
  /** Every property of `type`, and of the types of those properties: they travel as text. */
  const keepShape = (type: ts.Type, node: ts.Node, depth = 0) => {
    if (depth > 4) return;
    for (const property of checker.getPropertiesOfType(checker.getApparentType(type))) {
      if (property.declarations?.some((declaration) => !isOwnFile(declaration.getSourceFile()))) continue;
      keepName(property.name, `serialised at ${where(node)}`);
      keepShape(checker.getTypeOfSymbolAtLocation(property, node), node, depth + 1);
    }
  };
  const isCallTo = (call: ts.CallExpression, object: string, methods: string[]) =>
    ts.isPropertyAccessExpression(call.expression) && ts.isIdentifier(call.expression.expression) &&
    call.expression.expression.text === object && methods.includes(call.expression.name.text);

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) {
      use(node.name.text, node.name, checker.getSymbolAtLocation(node.name));
    } else if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) {
      keepName(node.argumentExpression.text, `quoted at ${where(node)}`);
    } else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isMethodDeclaration(node)) && ts.isObjectLiteralExpression(node.parent)) {
      if (!ts.isIdentifier(node.name)) {
        if (ts.isStringLiteralLike(node.name)) keepName(node.name.text, `quoted at ${where(node)}`);
      } else {
        const contextual = checker.getContextualType(node.parent);
        if (contextual !== undefined && (contextual.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0) {
          keepName(node.name.text, `serialised at ${where(node)}`);
        } else {
          use(node.name.text, node.name, contextual?.getProperty(node.name.text) ?? checker.getSymbolAtLocation(node.name));
        }
      }
    } else if ((ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) && node.name !== undefined) {
      if (ts.isIdentifier(node.name)) use(node.name.text, node.name, checker.getSymbolAtLocation(node.name));
      else if (ts.isStringLiteralLike(node.name)) keepName(node.name.text, `quoted at ${where(node)}`);
    } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
      const name = node.propertyName ?? node.name;
      if (ts.isIdentifier(name)) use(name.text, name, checker.getTypeAtLocation(node.parent).getProperty(name.text));
    } else if (ts.isCallExpression(node) && (isCallTo(node, "JSON", ["stringify"]) || isCallTo(node, "Object", ["keys", "entries", "values", "assign"]))) {
      for (const argument of node.arguments) keepShape(checker.getTypeAtLocation(argument), node);
    } else if (ts.isForInStatement(node)) {
      keepShape(checker.getTypeAtLocation(node.expression), node);
    }
    ts.forEachChild(node, visit);
  };
  // A foreign object may stand where a firmware type is expected (Storage as the board's
  // storage): every member a declaration file names is kept, used or not.
  const declared = (node: ts.Node): void => {
    if ((ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node)) && ts.isIdentifier(node.name)) {
      keepName(node.name.text, `declared at ${node.getSourceFile().fileName.replace(/^.*[\\/]/, "")}`);
    }
    ts.forEachChild(node, declared);
  };
  for (const file of program.getSourceFiles()) {
    if (isOwnFile(file)) visit(file);
    else declared(file);
  }
  return { shorten: [...candidates].filter((name) => !kept.has(name)).sort(), kept };
}
