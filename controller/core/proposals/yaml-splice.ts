/**
 * In-place edits of YAML text through the `yaml` package's Document API: the document is parsed
 * with source ranges, the edit is a splice of new text at a node's range, and everything outside
 * the splice stays byte-identical (comments, key order, quoting, flow or block style, anchors,
 * other documents of the file). Every edit is checked by parsing the result again and comparing
 * the edited document's data with the data expected; a mismatch is returned as an error, so a
 * file is never half-edited.
 */
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  stringify,
  visit,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { err, ok, type Result } from '../../errors.js';

export type YamlPath = readonly (string | number)[];

export interface YamlEditProblem {
  readonly code: 'YamlUnparsable' | 'YamlShapeUnsupported' | 'YamlEditMismatch' | 'YamlTargetMissing';
  readonly message: string;
}

export function parseDocuments(text: string): Result<Document.Parsed[], YamlEditProblem> {
  const documents = parseAllDocuments(text, { version: '1.2', uniqueKeys: true }) as Document.Parsed[];
  const list = Array.isArray(documents) ? documents : [documents];
  const broken = list.find((document) => document.errors.length > 0);
  if (broken !== undefined) return err({ code: 'YamlUnparsable', message: `YAML does not parse: ${broken.errors[0]?.message ?? ''}` });
  for (const document of list) {
    try {
      document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      return err({ code: 'YamlUnparsable', message: `YAML does not resolve: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return ok(list);
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function indent(block: string, columns: number): string {
  const pad = ' '.repeat(columns);
  return block
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

function splice(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

export interface RenderStyle {
  /** Render maps inside appended items' nested sequences as flow maps (`- { a: 1, b: 2 }`). */
  readonly flowLeafMaps?: boolean;
}

/**
 * Block YAML for `value` (no trailing newline). With `flowLeafMaps`, lists of scalars and maps of
 * scalars inside lists are written in flow style (`aliases: [A, B]`, `- { a: 1, b: 2 }`), as the
 * example repository writes them.
 */
function renderBlock(value: unknown, style: RenderStyle): string {
  const document = new Document(value);
  if (style.flowLeafMaps === true) {
    visit(document, {
      Seq(_key, node) {
        if (node.items.every((item) => isScalar(item))) node.flow = true;
      },
      Map(_key, node, path) {
        const parent = path.at(-1);
        if (isSeq(parent) && node.items.every((pair) => isScalar(pair.value))) node.flow = true;
      },
    });
  }
  return document.toString({ lineWidth: 0, indentSeq: true, flowCollectionPadding: true }).replace(/\n$/, '');
}

function renderFlow(value: unknown): string {
  return stringify(value, { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: true }).replace(/\n$/, '');
}

/** Source text of a scalar value that fits where `old` stood (keeps double quotes if it had them). */
export function renderScalar(value: string, old: Node | undefined, inFlow: boolean): string {
  if (isScalar(old) && old.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (isScalar(old) && old.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  const plain = stringify(value, { lineWidth: 0 }).replace(/\n$/, '');
  if (inFlow && /[:,[\]{}#]/.test(plain) && !/^["']/.test(plain)) return JSON.stringify(value);
  return plain;
}

function childOf(node: unknown, segment: string | number): unknown {
  if (isMap(node)) return node.get(segment, true);
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  return undefined;
}

/** The node at `path` inside `document`, or undefined. */
export function nodeAt(document: Document, path: YamlPath): unknown {
  let node: unknown = document.contents;
  for (const segment of path) {
    node = childOf(node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

function nested(path: YamlPath, leaf: unknown): unknown {
  let value = leaf;
  for (let i = path.length - 1; i >= 0; i--) value = { [String(path[i])]: value };
  return value;
}

function appendToBlockSeq(text: string, seq: YAMLSeq, items: readonly unknown[], style: RenderStyle): string {
  const [start, end] = seq.range as [number, number, number];
  const column = columnOf(text, start);
  const block = indent(renderBlock(items, style), column);
  // Keep the list's rhythm: a blank line before the new item when the last two are apart by one.
  const previous = seq.items.at(-2) as Node | undefined;
  const last = seq.items.at(-1) as Node | undefined;
  const spaced = previous?.range != null && last?.range != null && /\n[ \t]*\n/.test(text.slice(previous.range[1] - 1, last.range[0]));
  const prefix = (text[end - 1] === '\n' ? '' : '\n') + (spaced ? '\n' : '');
  return splice(text, end, 0, `${prefix}${block}\n`);
}

function appendToFlowSeq(text: string, seq: YAMLSeq, items: readonly unknown[]): string {
  const rendered = items.map((item) => renderFlow(item)).join(', ');
  const last = seq.items.at(-1) as Node | undefined;
  if (last?.range !== undefined && last.range !== null) return splice(text, last.range[1], 0, `, ${rendered}`);
  const close = text.lastIndexOf(']', (seq.range as [number, number, number])[1]);
  return splice(text, close, 0, rendered);
}

function insertIntoBlockMap(text: string, map: YAMLMap, key: string, value: unknown, style: RenderStyle): string {
  const [start, end] = map.range as [number, number, number];
  const column = columnOf(text, start);
  const block = indent(renderBlock({ [key]: value }, style), column);
  const prefix = text[end - 1] === '\n' ? '' : '\n';
  return splice(text, end, 0, `${prefix}${block}\n`);
}

function insertIntoFlowMap(text: string, map: YAMLMap, key: string, value: unknown): string {
  const rendered = renderFlow({ [key]: value })
    .replace(/^\{ ?/, '')
    .replace(/ ?\}$/, '');
  const last = map.items.at(-1) as Pair<Node, Node> | undefined;
  const lastEnd = last?.value?.range?.[1] ?? last?.key?.range?.[1];
  if (lastEnd !== undefined) return splice(text, lastEnd, 0, `, ${rendered}`);
  const close = text.lastIndexOf('}', (map.range as [number, number, number])[1]);
  return splice(text, close, 0, ` ${rendered} `);
}

/**
 * Appends `items` to the sequence at `path` of document `index`; missing maps and the sequence
 * itself are created (as block or flow, like their parent). Returns the new text.
 */
export function appendItemsAt(
  text: string,
  index: number,
  path: YamlPath,
  items: readonly unknown[],
  style: RenderStyle = {},
): Result<string, YamlEditProblem> {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return parsed;
  const document = parsed.value[index];
  if (document === undefined) return err({ code: 'YamlTargetMissing', message: `document ${index} is missing` });
  let node: unknown = document.contents;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string | number;
    const child = childOf(node, segment);
    if (child === undefined || (isScalar(child) && child.value === null && typeof segment === 'string')) {
      if (!isMap(node) || typeof segment !== 'string' || child !== undefined)
        return err({ code: 'YamlShapeUnsupported', message: `cannot add ${path.slice(0, i + 1).join('.')}: its parent is not a mapping` });
      const value = nested(path.slice(i + 1), [...items]);
      return ok(node.flow === true ? insertIntoFlowMap(text, node, segment, value) : insertIntoBlockMap(text, node, segment, value, style));
    }
    node = child;
  }
  if (!isSeq(node)) return err({ code: 'YamlShapeUnsupported', message: `${path.join('.')} is not a sequence` });
  return ok(node.flow === true ? appendToFlowSeq(text, node, items) : appendToBlockSeq(text, node, items, style));
}

/** Replaces the scalar at `path` of document `index` with `value`, keeping its quoting style. */
export function replaceScalarAt(
  text: string,
  index: number,
  path: YamlPath,
  value: string,
  inFlow: boolean,
): Result<string, YamlEditProblem> {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return parsed;
  const document = parsed.value[index];
  const node = document === undefined ? undefined : nodeAt(document, path);
  if (!isScalar(node) || node.range === undefined || node.range === null)
    return err({ code: 'YamlTargetMissing', message: `${path.join('.')} is not a scalar` });
  return ok(splice(text, node.range[0], node.range[1] - node.range[0], renderScalar(value, node, inFlow)));
}

/** True when `a` and `b` are equal JSON-like data. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    return (
      keysA.length === keysB.length &&
      keysA.every((key) => sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
    );
  }
  return false;
}

/** Checks that document `index` of `text` holds `expected` and every other document is unchanged. */
export function verifyEdit(before: string, after: string, index: number, expected: unknown): Result<string, YamlEditProblem> {
  const old = parseDocuments(before);
  const edited = parseDocuments(after);
  if (!old.ok || !edited.ok) return err({ code: 'YamlEditMismatch', message: 'the edited file does not parse' });
  if (old.value.length !== edited.value.length)
    return err({ code: 'YamlEditMismatch', message: 'the edit changed the number of documents' });
  for (let i = 0; i < old.value.length; i++) {
    const want = i === index ? expected : (old.value[i] as Document).toJS();
    if (!sameData((edited.value[i] as Document).toJS(), want))
      return err({ code: 'YamlEditMismatch', message: `the edit did not produce the expected data in document ${i}` });
  }
  return ok(after);
}
