/**
 * Bounds on the shape of a JSON request body, checked on the raw text in one
 * linear pass, without recursion, BEFORE `JSON.parse` and class-transformer
 * see it. Those two are where a hostile body costs: class-transformer walks
 * every key (quadratically in places) and recurses on every level, so a wide
 * or deep body could stall the event loop or overflow the stack. Here the cost
 * of any body is proportional to its size, which the body limit already caps.
 */
export interface JsonBounds {
  /** Deepest nesting of objects and arrays. */
  maxDepth: number;
  /** Most members in one object. */
  maxObjectKeys: number;
  /** Most values (objects, arrays, strings, numbers, literals) in the whole body. */
  maxValues: number;
  /** Longest string, key or value, in UTF-16 code units once unescaped. */
  maxStringLength: number;
}

/** A body refused for its shape; `field` names where, as a path inside the body (`data.methods[0]`). */
export class JsonBoundsError extends Error {
  readonly name = 'JsonBoundsError';
  constructor(
    readonly statusCode: 400 | 413,
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}

interface Frame {
  kind: 'object' | 'array';
  /** Members seen so far in an object, to refuse a repeated key. */
  keys?: Set<string>;
  /** The member being read in an object. */
  key?: string;
  /** The element being read in an array. */
  index: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Where the scan is, as a path in the body; `topKey` replaces the innermost object's current member (null: the object itself). */
function pathOf(stack: Frame[], topKey?: string | null): string {
  let path = '';
  stack.forEach((frame, depth) => {
    const key = depth === stack.length - 1 && topKey !== undefined ? topKey : frame.key;
    if (frame.kind === 'array') path = `${path}[${frame.index}]`;
    else if (key !== undefined && key !== null) path = path ? `${path}.${key}` : key;
  });
  return path;
}

function hex4(text: string, at: number): number {
  if (at + 4 > text.length) return -1;
  const value = Number.parseInt(text.slice(at, at + 4), 16);
  return /^[0-9a-fA-F]{4}$/.test(text.slice(at, at + 4)) ? value : -1;
}

/**
 * Throws JsonBoundsError for the first bound the text breaks: depth, members
 * per object, repeated keys, values in all, string length, and lone UTF-16
 * surrogates (escaped `\ud800` or raw). Malformed JSON is left to the parser.
 */
export function checkJsonBounds(text: string, bounds: JsonBounds): void {
  const stack: Frame[] = [];
  let values = 0;
  let expectKey = false;
  const countValue = () => {
    if (++values > bounds.maxValues) {
      throw new JsonBoundsError(413, pathOf(stack), `the body may hold at most ${bounds.maxValues} JSON values`);
    }
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      countValue();
      if (stack.length >= bounds.maxDepth) {
        throw new JsonBoundsError(400, pathOf(stack), `JSON may nest at most ${bounds.maxDepth} levels deep`);
      }
      stack.push(c === 0x7b ? { kind: 'object', keys: new Set(), index: 0 } : { kind: 'array', index: 0 });
      expectKey = c === 0x7b;
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
      i++;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'object') expectKey = true;
      else if (top) top.index++;
      i++;
    } else if (c === 0x3a /* : */) {
      expectKey = false;
      i++;
    } else if (c === QUOTE) {
      const top = stack[stack.length - 1];
      const isKey = expectKey && top?.kind === 'object';
      const start = i;
      let length = 0;
      let escaped = false;
      let pendingHigh = false;
      i++;
      for (;;) {
        if (i >= n) return; // unterminated: the parser says so
        let unit = text.charCodeAt(i);
        if (unit === QUOTE) break;
        if (unit === BACKSLASH) {
          escaped = true;
          const next = text.charCodeAt(i + 1);
          if (next === 0x75 /* u */) {
            unit = hex4(text, i + 2);
            if (unit < 0) return; // malformed escape: the parser says so
            i += 6;
          } else {
            unit = next;
            i += 2;
          }
        } else {
          i++;
        }
        if (pendingHigh !== isLowSurrogate(unit)) {
          throw new JsonBoundsError(
            400,
            pathOf(stack, isKey ? null : undefined),
            'strings must be well-formed Unicode; a lone UTF-16 surrogate was found',
          );
        }
        pendingHigh = isHighSurrogate(unit);
        if (++length > bounds.maxStringLength) {
          throw new JsonBoundsError(
            400,
            pathOf(stack, isKey ? null : undefined),
            `strings may be at most ${bounds.maxStringLength} characters long`,
          );
        }
      }
      if (pendingHigh) {
        throw new JsonBoundsError(
          400,
          pathOf(stack, isKey ? null : undefined),
          'strings must be well-formed Unicode; a lone UTF-16 surrogate was found',
        );
      }
      i++; // closing quote
      if (isKey) {
        let key = text.slice(start + 1, i - 1);
        if (escaped) {
          try {
            key = JSON.parse(text.slice(start, i)) as string;
          } catch {
            return; // the parser says what is wrong
          }
        }
        if (top.keys!.has(key)) {
          throw new JsonBoundsError(400, pathOf(stack, key), 'a JSON object may not repeat a member name');
        }
        if (top.keys!.size >= bounds.maxObjectKeys) {
          throw new JsonBoundsError(400, pathOf(stack, null), `an object may hold at most ${bounds.maxObjectKeys} members`);
        }
        top.keys!.add(key);
        top.key = key;
        expectKey = false;
      } else {
        countValue();
      }
    } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
    } else {
      // A number or a literal: one value, up to the next delimiter.
      countValue();
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x3a || d === QUOTE || d === 0x7b || d === 0x5b || d <= 0x20) break;
        i++;
      }
    }
  }
}

/**
 * Depth of a parsed JSON value, measured without recursion so that a
 * hostile body cannot exhaust the stack here; returns as soon as `limit` is passed.
 */
export function exceedsJsonDepth(value: unknown, limit: number): boolean {
  const pending: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
  return false;
}
