import ExcelJS from 'exceljs';
import type { Locale } from '../../../../domain/errors.js';
import { type LocalText, localText } from '../../../../domain/surveys.js';
import type { SurveysService } from './surveys.service.js';

type Results = Awaited<ReturnType<SurveysService['results']>>;

const L: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    results: '测评结果',
    rates: '参评率',
    unit: '单位',
    round: '轮次',
    question: '题目',
    option: '选项',
    count: '人数',
    satisfied: '满意',
    unsatisfied: '不满意',
    excluded: '不计入',
    rate: '满意率(%)',
    responses: '答卷数',
    audience: '对象',
    batch: '批次',
    codes: '发放码数',
    used: '已使用',
    responseRate: '参评率(%)',
    total: '合计',
    cadre: '干部',
    staff: '职工',
    public: '群众',
  },
  'zh-TW': {
    results: '測評結果',
    rates: '參評率',
    unit: '單位',
    round: '輪次',
    question: '題目',
    option: '選項',
    count: '人數',
    satisfied: '滿意',
    unsatisfied: '不滿意',
    excluded: '不計入',
    rate: '滿意率(%)',
    responses: '答卷數',
    audience: '對象',
    batch: '批次',
    codes: '發放碼數',
    used: '已使用',
    responseRate: '參評率(%)',
    total: '合計',
    cadre: '幹部',
    staff: '職工',
    public: '群眾',
  },
  en: {
    results: 'Results',
    rates: 'Response rates',
    unit: 'Unit',
    round: 'Round',
    question: 'Question',
    option: 'Option',
    count: 'Count',
    satisfied: 'Satisfied',
    unsatisfied: 'Not satisfied',
    excluded: 'Not counted',
    rate: 'Satisfaction (%)',
    responses: 'Responses',
    audience: 'Audience',
    batch: 'Batch',
    codes: 'Codes issued',
    used: 'Used',
    responseRate: 'Response rate (%)',
    total: 'Total',
    cadre: 'Cadres',
    staff: 'Staff',
    public: 'Public',
  },
};

/** The results of a survey as a workbook: per unit and question with the rate, and the response rates. */
export async function resultsWorkbook(r: Results, locale: Locale): Promise<Buffer> {
  const t = L[locale];
  const tx = (x: LocalText) => localText(x, locale);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t.results!);
  ws.addRow([tx(r.title)]).font = { bold: true, size: 14 };
  ws.addRow([
    t.total,
    '',
    t.responses,
    r.responses,
    t.satisfied,
    r.tally.satisfied,
    t.unsatisfied,
    r.tally.unsatisfied,
    t.rate,
    r.tally.rate ?? '',
  ]);
  ws.addRow([]);
  ws.addRow([t.unit, t.round, t.question, t.option, t.count, t.satisfied, t.unsatisfied, t.excluded, t.rate]).font = {
    bold: true,
  };
  for (const u of r.units) {
    ws.addRow([
      u.unitName,
      u.roundName,
      t.total,
      '',
      u.responses,
      u.tally.satisfied,
      u.tally.unsatisfied,
      u.tally.excluded,
      u.tally.rate ?? '',
    ]).font = { bold: true };
    for (const q of u.questions) {
      if (q.kind !== 'choice') continue;
      for (const o of q.options) ws.addRow([u.unitName, u.roundName, tx(q.text), tx(o.label), o.count]);
      ws.addRow([
        u.unitName,
        u.roundName,
        tx(q.text),
        '',
        '',
        q.tally.satisfied,
        q.tally.unsatisfied,
        q.tally.excluded,
        q.tally.rate ?? '',
      ]);
    }
  }
  ws.columns.forEach((c, i) => {
    c.width = i === 2 ? 40 : 14;
  });
  const rs = wb.addWorksheet(t.rates!);
  rs.addRow([t.unit, t.audience, t.batch, t.codes, t.used, t.responseRate]).font = { bold: true };
  for (const b of r.batches)
    rs.addRow([
      b.unitName,
      t[b.audience] ?? b.audience,
      b.label ?? `#${b.id}`,
      b.codeCount,
      b.usedCount,
      b.responseRate ?? '',
    ]);
  rs.columns.forEach((c) => {
    c.width = 16;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
