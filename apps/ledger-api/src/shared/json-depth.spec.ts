import { exceedsJsonDepth } from './json-depth';

describe('JSON depth limit', () => {
  it('counts nested objects and arrays, and refuses more than the limit', () => {
    expect(exceedsJsonDepth({ data: { methods: [{ amr: ['hwk'] }] } }, 5)).toBe(false);
    expect(exceedsJsonDepth({ data: { methods: [{ amr: ['hwk'] }] } }, 4)).toBe(true);
    expect(exceedsJsonDepth('scalar', 0)).toBe(false);
  });

  it('measures a hostile depth without exhausting the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(exceedsJsonDepth(deep, 8)).toBe(true);
  });
});
