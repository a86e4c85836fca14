/**
 * Parses one policy file into documents that remember where every node came from. Refuses hostile
 * input before it costs anything: size is checked before parsing, nesting depth by a cheap scan of
 * the text, aliases by `maxAliasCount`. Pure: the text is given, nothing is read here.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { PROBLEM_CODES, type Problem, type ProblemCode, type SourceLocation } from './problem.js';

export interface PolicyFileInput {
  /** Relative path with `/` separators, as reported in problems. */
  readonly path: string;
  readonly text: string;
}

export interface YamlLimits {
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly maxDocumentsPerFile: number;
  /** Nesting of mappings and sequences. */
  readonly maxDepth: number;
  /** Indentation in columns; deeper indentation is refused before parsing. */
  readonly maxIndent: number;
  readonly maxAliasCount: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = Object.freeze({
  maxFileBytes: 1024 * 1024,
  maxFiles: 2000,
  maxDocumentsPerFile: 1000,
  maxDepth: 64,
  maxIndent: 256,
  maxAliasCount: 100,
});

export type PathSegment = string | number;

/** One YAML document of a file, parsed, with a way back from a field path to file:line:column. */
export interface SourceDocument {
  readonly file: string;
  /** 0-based position of the document in its file. */
  readonly index: number;
  readonly value: unknown;
  /** Where the document starts. */
  readonly source: SourceLocation;
  /** Position of the node at `path` (its key when `target` is 'key'), or of the closest existing parent. */
  at(path: readonly PathSegment[], target?: 'key' | 'value'): SourceLocation;
}

export interface ParsedFile {
  readonly documents: readonly SourceDocument[];
  readonly problems: readonly Problem[];
}

function fileProblem(
  file: string,
  line: number,
  column: number,
  code: ProblemCode,
  message: string,
  severity: 'error' | 'warning' = 'error',
): Problem {
  return { severity, file, line, column, path: '', message, code };
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Linear scan for nesting that would make the parser work hard: flow brackets outside quotes and
 * comments, indentation, and `- - - -` chains on one line. Returns the offset of the first excess.
 */
function findExcessNesting(text: string, limits: YamlLimits): { offset: number; what: string } | undefined {
  let flowDepth = 0;
  let quote: '"' | "'" | undefined;
  let lineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let offset = 0; offset < text.length; offset++) {
    const char = text[offset];
    if (char === '\n') {
      lineStart = true;
      indent = 0;
      dashes = 0;
      if (quote === "'") continue;
      continue;
    }
    if (quote !== undefined) {
      if (char === '\\' && quote === '"') offset++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (lineStart) {
      if (char === ' ') {
        indent++;
        if (indent > limits.maxIndent) return { offset, what: `indentation deeper than ${limits.maxIndent} columns` };
        continue;
      }
      if (char === '-' && (text[offset + 1] === ' ' || text[offset + 1] === '\t')) {
        dashes++;
        if (dashes > limits.maxDepth) return { offset, what: `more than ${limits.maxDepth} nested sequence entries on one line` };
        offset++;
        continue;
      }
      lineStart = false;
    }
    if (char === '#' && (offset === 0 || /\s/.test(text[offset - 1] ?? ''))) {
      const end = text.indexOf('\n', offset);
      if (end === -1) break;
      offset = end - 1;
      continue;
    }
    if (char === '"' || char === "'") {
      const previous = text[offset - 1];
      if (previous === undefined || /[\s[{,:]/.test(previous)) quote = char;
    } else if (char === '[' || char === '{') {
      flowDepth++;
      if (flowDepth > limits.maxDepth) return { offset, what: `more than ${limits.maxDepth} nested brackets` };
    } else if ((char === ']' || char === '}') && flowDepth > 0) {
      flowDepth--;
    }
  }
  return undefined;
}

/** Depth of the node tree, iteratively (a recursive walk is what deep input is meant to break). */
function nodeDepthExceeds(root: unknown, maxDepth: number): Node | undefined {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (isMap(node) || isSeq(node)) {
      if (depth + 1 > maxDepth) return node;
      for (const item of node.items) {
        if (isPair(item)) {
          stack.push({ node: item.key, depth: depth + 1 });
          stack.push({ node: item.value, depth: depth + 1 });
        } else stack.push({ node: item, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function keyMatches(key: unknown, segment: PathSegment): boolean {
  const raw = isScalar(key) ? key.value : key;
  return raw !== null && raw !== undefined && String(raw) === String(segment);
}

function makeLocator(file: string, document: Document, lineCounter: LineCounter, fallback: SourceLocation) {
  const toLocation = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return fallback;
    const position = lineCounter.linePos(offset);
    return { file, line: position.line, column: position.col };
  };
  return (path: readonly PathSegment[], target: 'key' | 'value' = 'value'): SourceLocation => {
    let node: unknown = document.contents;
    let keyNode: unknown;
    let best = toLocation(isMap(node) || isSeq(node) || isScalar(node) ? node.range?.[0] : undefined);
    for (let index = 0; index < path.length; index++) {
      const segment = path[index] as PathSegment;
      const last = index === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => keyMatches(item.key, segment));
        if (pair === undefined) return best;
        keyNode = pair.key;
        const keyStart = isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? keyNode.range?.[0] : undefined;
        if (last && target === 'key') return toLocation(keyStart);
        node = pair.value;
        const valueStart = isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined;
        // An empty value (`port:`) has no useful position of its own: point at its key.
        best = isScalar(node) && node.value === null && node.source === '' ? toLocation(keyStart) : toLocation(valueStart ?? keyStart);
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) return best;
        node = item;
        best = toLocation(isScalar(node) || isMap(node) || isSeq(node) ? node.range?.[0] : undefined);
      } else {
        return best;
      }
    }
    return best;
  };
}

function firstSentence(message: string): string {
  const cut = message.split('\n')[0] ?? message;
  return cut.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
}

/** Parses a file into documents, or says why not. Never throws on any input. */
export function parsePolicyFile(input: PolicyFileInput, limits: YamlLimits = DEFAULT_YAML_LIMITS): ParsedFile {
  const file = input.path;
  const bytes = Buffer.byteLength(input.text, 'utf8');
  if (bytes > limits.maxFileBytes) {
    return {
      documents: [],
      problems: [
        fileProblem(
          file,
          1,
          1,
          PROBLEM_CODES.fileTooLarge,
          `file is ${bytes} bytes; policy files may be at most ${limits.maxFileBytes} bytes`,
        ),
      ],
    };
  }
  const excess = findExcessNesting(input.text, limits);
  if (excess !== undefined) {
    const { line, column } = positionOf(input.text, excess.offset);
    return {
      documents: [],
      problems: [fileProblem(file, line, column, PROBLEM_CODES.yamlTooDeep, `YAML nested too deeply (${excess.what}); refused`)],
    };
  }
  const lineCounter = new LineCounter();
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(input.text, { lineCounter, prettyErrors: true, uniqueKeys: true, version: '1.2' }) as Document.Parsed[];
  } catch (error) {
    return {
      documents: [],
      problems: [
        fileProblem(
          file,
          1,
          1,
          PROBLEM_CODES.yamlSyntax,
          `YAML could not be parsed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ],
    };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  if (parsed.length > limits.maxDocumentsPerFile) {
    return {
      documents: [],
      problems: [
        fileProblem(
          file,
          1,
          1,
          PROBLEM_CODES.tooManyDocuments,
          `file holds ${parsed.length} documents; at most ${limits.maxDocumentsPerFile} are allowed`,
        ),
      ],
    };
  }
  parsed.forEach((document, index) => {
    const start = lineCounter.linePos(document.range[0]);
    const contentStart = document.contents?.range?.[0];
    const startPosition = contentStart === undefined ? start : lineCounter.linePos(contentStart);
    const source: SourceLocation = { file, line: startPosition.line, column: startPosition.col };
    for (const error of document.errors) {
      const quote = error.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(error.message)?.[1] : undefined;
      const opened = quote === undefined ? -1 : input.text.lastIndexOf(quote, error.pos[0] - 1);
      if (quote !== undefined && opened !== -1) {
        // The parser notices at the end of the file; the mistake is where the string opened.
        const position = lineCounter.linePos(opened);
        problems.push(
          fileProblem(
            file,
            position.line,
            position.col,
            PROBLEM_CODES.yamlSyntax,
            `YAML syntax: the ${quote === '"' ? 'double' : 'single'}-quoted string opened here is never closed`,
          ),
        );
        continue;
      }
      const position = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
      problems.push(
        fileProblem(file, position.line, position.col, PROBLEM_CODES.yamlSyntax, `YAML syntax: ${firstSentence(error.message)}`),
      );
    }
    for (const warning of document.warnings) {
      const position = warning.linePos?.[0] ?? lineCounter.linePos(warning.pos[0]);
      problems.push(
        fileProblem(file, position.line, position.col, PROBLEM_CODES.yamlSyntax, `YAML: ${firstSentence(warning.message)}`, 'warning'),
      );
    }
    if (document.errors.length > 0 || document.contents === null) return;
    const tooDeep = nodeDepthExceeds(document.contents, limits.maxDepth);
    if (tooDeep !== undefined) {
      const position = lineCounter.linePos(tooDeep.range?.[0] ?? 0);
      problems.push(
        fileProblem(
          file,
          position.line,
          position.col,
          PROBLEM_CODES.yamlTooDeep,
          `YAML nested deeper than ${limits.maxDepth} levels; refused`,
        ),
      );
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      const aliases = error instanceof ReferenceError || (error instanceof Error && /alias/i.test(error.message));
      problems.push(
        fileProblem(
          file,
          source.line,
          source.column,
          aliases ? PROBLEM_CODES.yamlAliases : PROBLEM_CODES.yamlSyntax,
          aliases
            ? `YAML aliases expand too much (more than ${limits.maxAliasCount} alias uses); refused`
            : `YAML could not be read: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return;
    }
    documents.push({ file, index, value, source, at: makeLocator(file, document, lineCounter, source) });
  });
  return { documents, problems };
}
