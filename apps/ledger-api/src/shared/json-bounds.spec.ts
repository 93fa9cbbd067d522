import { checkJsonBounds, exceedsJsonDepth, JsonBounds, JsonBoundsError } from './json-bounds';

const BOUNDS: JsonBounds = { maxDepth: 8, maxObjectKeys: 10, maxValues: 100, maxStringLength: 20 };

function refusal(text: string, bounds: JsonBounds = BOUNDS): JsonBoundsError {
  try {
    checkJsonBounds(text, bounds);
  } catch (error) {
    if (error instanceof JsonBoundsError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text.slice(0, 80)}`);
}

describe('JSON bounds, checked on the raw text before parsing', () => {
  it('accepts an ordinary body, and leaves malformed JSON to the parser', () => {
    expect(() =>
      checkJsonBounds(JSON.stringify({ id: 'a', data: { methods: [{ amr: ['hwk', 'pin'] }], n: 1.5e3, t: true } }), BOUNDS),
    ).not.toThrow();
    for (const text of ['{"a":', '"unterminated', '{"a":"\\u12"}', '[1,2', '}}}]]]', ''])
      expect(() => checkJsonBounds(text, BOUNDS)).not.toThrow();
  });

  it('refuses depth past the bound, naming where, without recursion', () => {
    const deep = refusal('{"data":{"a":[[[[[[[[1]]]]]]]]}}');
    expect(deep.statusCode).toBe(400);
    expect(deep.field).toBe('data.a[0][0][0][0][0][0]');
    expect(refusal('['.repeat(1_000_000)).reason).toMatch(/at most 8 levels/);
  });

  it('refuses too many members in one object, and too many values in all', () => {
    const wide = refusal(JSON.stringify({ data: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i])) }));
    expect([wide.statusCode, wide.field]).toEqual([400, 'data']);
    const many = refusal(JSON.stringify(Array.from({ length: 101 }, (_, i) => i)));
    expect(many.statusCode).toBe(413);
  });

  it('refuses a repeated member name, even when spelled with escapes', () => {
    expect(refusal('{"id":"a","data":{},"id":"b"}').field).toBe('id');
    expect(refusal('{"data":{"ab":1,"a\\u0062":2}}').field).toBe('data.ab');
    expect(() => checkJsonBounds('[{"a":1},{"a":2}]', BOUNDS)).not.toThrow();
  });

  it('refuses long strings and long keys by their unescaped length', () => {
    expect(refusal(JSON.stringify({ subject: 'x'.repeat(21) })).field).toBe('subject');
    expect(() => checkJsonBounds(JSON.stringify({ subject: '\\u0041'.repeat(3) }), BOUNDS)).not.toThrow();
    expect(refusal(JSON.stringify({ ['k'.repeat(21)]: 1 })).reason).toMatch(/at most 20 characters/);
  });

  it('refuses lone surrogates, escaped or raw, naming the field, and accepts pairs', () => {
    expect(refusal('{"id":"\\ud800x"}').field).toBe('id');
    expect(refusal('{"source":"a\\udc00"}').field).toBe('source');
    expect(refusal('{"data":{"k":["ok","\\ud83d"]}}').field).toBe('data.k[1]');
    expect(refusal(`{"id":"${'\ud800'}"}`).field).toBe('id');
    expect(() => checkJsonBounds('{"id":"\\ud83d\\ude00 \ud83d\ude00"}', BOUNDS)).not.toThrow();
  });

  it('measures a parsed value depth without exhausting the stack', () => {
    expect(exceedsJsonDepth({ data: { methods: [{ amr: ['hwk'] }] } }, 5)).toBe(false);
    expect(exceedsJsonDepth({ data: { methods: [{ amr: ['hwk'] }] } }, 4)).toBe(true);
    expect(exceedsJsonDepth(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 8)).toBe(true);
  });
});
