/**
 * A small XML well-formedness check, enough for the SVG files we generate and commit: tags
 * nest and close, attributes are quoted and unique, entities are the XML ones, one root.
 * No dependency is installed for it on purpose; it returns the elements so tests can read
 * attributes (width, viewBox, data-pin) without a second parser.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITY = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;

function fail(text: string, index: number, problem: string): never {
  const line = text.slice(0, index).split("\n").length;
  throw new Error(`XML not well-formed at line ${line}: ${problem}`);
}

/** Checks that text between tags (or inside an attribute value) uses only valid entities. */
function checkCharacters(text: string, start: number, end: number, forbidden: string): void {
  for (let index = start; index < end; index += 1) {
    const character = text[index];
    if (forbidden.includes(character)) fail(text, index, `"${character}" must be escaped`);
    if (character === "&" && !ENTITY.test(text.slice(index, index + 12))) fail(text, index, "bad entity");
  }
}

/** Parses the attributes of one start tag, from `index` to its ">"; returns them and the end. */
function readAttributes(text: string, index: number): { attributes: Record<string, string>; end: number; selfClosing: boolean } {
  const attributes: Record<string, string> = {};
  let at = index;
  for (;;) {
    const spaces = /^\s*/.exec(text.slice(at))![0].length;
    at += spaces;
    if (text.startsWith("/>", at)) return { attributes, end: at + 2, selfClosing: true };
    if (text[at] === ">") return { attributes, end: at + 1, selfClosing: false };
    if (spaces === 0) fail(text, at, "attributes must be separated by white space");
    const name = NAME.exec(text.slice(at))?.[0];
    if (name === undefined) fail(text, at, "bad attribute name");
    at += name.length;
    const quote = /^\s*=\s*(["'])/.exec(text.slice(at));
    if (quote === null) fail(text, at, `attribute ${name} needs a quoted value`);
    at += quote[0].length;
    const close = text.indexOf(quote[1], at);
    if (close < 0) fail(text, at, `attribute ${name} is not closed`);
    checkCharacters(text, at, close, "<");
    if (name in attributes) fail(text, at, `attribute ${name} appears twice`);
    attributes[name] = text.slice(at, close);
    at = close + 1;
  }
}

/** Throws unless `text` is well-formed XML; returns every element in document order. */
export function parseXml(text: string): XmlElement[] {
  const elements: XmlElement[] = [];
  const open: string[] = [];
  let index = text.startsWith("<?xml") ? text.indexOf("?>") + 2 : 0;
  let rootClosed = false;
  while (index < text.length) {
    const next = text.indexOf("<", index);
    const textEnd = next < 0 ? text.length : next;
    if (open.length === 0 && text.slice(index, textEnd).trim() !== "") fail(text, index, "text outside the root element");
    checkCharacters(text, index, textEnd, "");
    if (next < 0) break;
    if (text.startsWith("<!--", next)) {
      const end = text.indexOf("-->", next);
      if (end < 0) fail(text, next, "comment is not closed");
      index = end + 3;
      continue;
    }
    if (text[next + 1] === "/") {
      const name = NAME.exec(text.slice(next + 2))?.[0];
      const end = text.indexOf(">", next);
      if (name === undefined || end < 0 || text.slice(next + 2 + name.length, end).trim() !== "") fail(text, next, "bad end tag");
      if (open.pop() !== name) fail(text, next, `</${name}> does not match the open element`);
      if (open.length === 0) rootClosed = true;
      index = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(next + 1))?.[0];
    if (name === undefined) fail(text, next, "bad tag name");
    if (rootClosed || (open.length === 0 && elements.length > 0)) fail(text, next, "more than one root element");
    const { attributes, end, selfClosing } = readAttributes(text, next + 1 + name.length);
    elements.push({ name, attributes });
    if (selfClosing) {
      if (open.length === 0) rootClosed = true;
    } else {
      open.push(name);
    }
    index = end;
  }
  if (open.length > 0) fail(text, text.length, `<${open[open.length - 1]}> is never closed`);
  if (elements.length === 0) fail(text, 0, "no root element");
  return elements;
}
