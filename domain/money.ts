/**
 * Money is kept in integer 分 (fen) and summed exactly; never a float. Amounts travel as decimal
 * strings of 元 with two places ("149000000.00"). SPEC §4, §5.
 */
export function yuanToFen(yuan: string): bigint {
  const m = /^(-?)(\d{1,15})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) throw new Error(`not an amount in 元: ${yuan}`);
  const fen = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}

export function fenToYuan(fen: bigint | number | string): string {
  const v = BigInt(typeof fen === 'string' ? fen.split('.')[0]! : fen);
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

export const YUAN_PATTERN = '^-?\\d{1,15}(\\.\\d{1,2})?$';

/** For display: 元 below 1万, 万元 below 1亿, else 亿元, rounded to two decimals (display only). */
export function formatYuanScaled(fen: bigint | string, locale: 'zh-CN' | 'zh-TW' | 'en' = 'zh-CN'): string {
  const v = BigInt(String(fen).split('.')[0]!);
  const yi = 10_000_000_000n; // 1亿元 in 分
  const wan = 1_000_000n; // 1万元 in 分
  const scaled = (unit: bigint) => {
    const hundredths = (v * 100n + unit / 2n) / unit;
    return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`.replace(/\.?0+$/, '');
  };
  if (locale === 'en') {
    const million = 100_000_000n; // 1 million 元 in 分
    return v >= million ? `${scaled(million)} million yuan` : `${fenToYuan(v)} yuan`;
  }
  const u = locale === 'zh-TW' ? { yi: '億元', wan: '萬元', yuan: '元' } : { yi: '亿元', wan: '万元', yuan: '元' };
  if (v >= yi) return `${scaled(yi)}${u.yi}`;
  if (v >= wan) return `${scaled(wan)}${u.wan}`;
  return `${fenToYuan(v)}${u.yuan}`;
}
