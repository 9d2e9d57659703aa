import { useQuery } from '@tanstack/react-query';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatYuanScaled, yuanToFen } from '../../../../domain/money';
import type { Light, MeasureStatus, MeasureType, RoundUnitStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import type { DictEntry } from '../../api/types';
import { dictLabel } from '../../lib/dict';
import { inZone } from '../../lib/time';
import { currentLang } from '../../locales';
import './ledger.css';

/** Every problem category (inactive ones too: old rows still name them); the select offers the active ones. */
export function useCategories(enabled = true) {
  return useQuery({
    queryKey: ['dictionaries', 'problem_category', 'all'],
    queryFn: () => api.get<{ items: DictEntry[] }>('/dictionaries', { kind: 'problem_category' }),
    staleTime: 5 * 60_000,
    enabled,
    select: (d) => d.items,
  });
}

export function categoryOptions(list: DictEntry[] | undefined) {
  return (list ?? []).filter((d) => d.active).map((d) => ({ value: d.code, label: dictLabel(d) }));
}

export function categoryName(list: DictEntry[] | undefined, code: string): string {
  const d = list?.find((x) => x.code === code);
  return d ? dictLabel(d) : code;
}

/** Today in Asia/Shanghai, 'YYYY-MM-DD' (deadlines are calendar dates there). */
export function todayText(): string {
  return inZone(Date.now()).format('YYYY-MM-DD');
}

/** An amount in 元 (decimal string) scaled to 元/万元/亿元 for reading; exact text in the tooltip. */
export function Money({ yuan }: { yuan: string | null | undefined }) {
  if (!yuan) return <>—</>;
  let scaled: string;
  try {
    scaled = formatYuanScaled(yuanToFen(yuan), currentLang());
  } catch {
    return <>{yuan}</>;
  }
  return (
    <Tooltip title={`${exactYuan(yuan)}`}>
      <span style={{ whiteSpace: 'nowrap' }}>{scaled}</span>
    </Tooltip>
  );
}

/** "149000000.00" → "149,000,000.00 元" (or "yuan"), exact. */
export function exactYuan(yuan: string): string {
  const [int, dec = '00'] = yuan.replace(/^-/, '').split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const unit = currentLang() === 'en' ? ' yuan' : ' 元';
  return `${yuan.startsWith('-') ? '-' : ''}${grouped}.${dec.padEnd(2, '0')}${unit}`;
}

const LIGHT_COLOR: Record<Light, string> = { red: 'error', yellow: 'warning', green: 'success' };

/** 红黄绿灯: a coloured dot with its name (colour is never the only signal). */
export function LightTag({ light, label }: { light: Light; label?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={LIGHT_COLOR[light]} className={`light-tag light-${light}`} data-light={light}>
      <span className={`light-dot light-dot-${light}`} aria-hidden />
      {label ?? t(`ledger.light.${light}`)}
    </Tag>
  );
}

const RU_STATUS_COLOR: Record<RoundUnitStatus, string> = {
  awaiting_feedback: 'default',
  rectifying: 'processing',
  period_ended: 'warning',
  evaluated: 'cyan',
  re_rectifying: 'magenta',
  published: 'success',
};

export function RoundUnitStatusTag({ status }: { status: RoundUnitStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={RU_STATUS_COLOR[status]} data-status={status}>
      {t(`ledger.ruStatus.${status}`)}
    </Tag>
  );
}

const MEASURE_STATUS_COLOR: Record<MeasureStatus, string> = {
  not_started: 'default',
  in_progress: 'processing',
  completed: 'success',
  closure_requested: 'gold',
  closed: 'green',
};

export function MeasureStatusTag({ status }: { status: MeasureStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={MEASURE_STATUS_COLOR[status]} data-status={status}>
      {t(`ledger.measureStatus.${status}`)}
    </Tag>
  );
}

export function MeasureTypeText({ type }: { type: MeasureType }) {
  const { t } = useTranslation();
  return <>{t(`ledger.measureType.${type}`)}</>;
}

/** Lights of one measure judged against its original and its approved deadline (SPEC M18 延期申请). */
export function deadlineLights(m: { isDone: boolean; deadline: string; effectiveDeadline: string }, today: string) {
  return {
    original: !m.isDone && m.deadline < today,
    extended: !m.isDone && m.effectiveDeadline < today,
  };
}

/** 'YYYY-MM-DD' or '—'. */
export const dateOr = (d: string | null | undefined) => d || '—';

/** Decimal 元 with at most two places, as the server accepts it. */
export const YUAN_RE = /^\d{1,15}(\.\d{1,2})?$/;
