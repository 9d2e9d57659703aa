import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuan, formatYuanScaled, yuanToFen } from './money.js';

describe('money in 分', () => {
  it('round-trips every amount between 元 strings and 分 exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
      }),
    );
  });

  it('sums the seed figures without floating point', () => {
    expect(fenToYuan(yuanToFen('149000000') + yuanToFen('0.01'))).toBe('149000000.01');
    expect(formatYuanScaled(yuanToFen('149000000').toString())).toBe('1.49亿元');
    expect(formatYuanScaled(yuanToFen('89670000').toString())).toBe('8967万元');
    expect(formatYuanScaled(yuanToFen('89670000').toString(), 'zh-TW')).toBe('8967萬元');
    expect(formatYuanScaled(yuanToFen('89670000').toString(), 'en')).toBe('89.67 million yuan');
  });

  it('refuses amounts that are not decimals of at most two places', () => {
    for (const bad of ['1.234', 'abc', '', '1e5', '0x10']) expect(() => yuanToFen(bad)).toThrow();
  });
});
