import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { type CSSProperties, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgType } from '../../../../domain/roles';
import { api } from '../../api/client';
import type { Organisation, Page } from '../../api/types';
import type { Round, RoundUnit, RoundUnitDetail, Term } from './types';

export function useTerms(enabled = true) {
  return useQuery({
    queryKey: ['terms'],
    queryFn: () => api.get<{ items: Term[] }>('/terms'),
    select: (d) => d.items,
    enabled,
  });
}

export function useRounds(filter: { termId?: number; type?: string; q?: string } = {}, enabled = true) {
  return useQuery({
    queryKey: ['rounds', filter],
    queryFn: () => api.get<{ items: Round[] }>('/rounds', filter),
    select: (d) => d.items,
    enabled,
  });
}

/** 第 5 届 · 名称 */
export function termLabel(t: Term) {
  return `${t.name}`;
}

export function useTermOptions(enabled = true) {
  const terms = useTerms(enabled);
  return useMemo(() => (terms.data ?? []).map((x) => ({ value: x.id, label: termLabel(x) })), [terms.data]);
}

/** A searchable select of organisations of one type (server-side search, 50 at a time). */
export function OrgSearchSelect(props: {
  type?: OrgType;
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
  exclude?: readonly number[];
  style?: CSSProperties;
  allowClear?: boolean;
}) {
  const [q, setQ] = useState('');
  const orgs = useQuery({
    queryKey: ['organisations', 'search', props.type ?? 'any', q],
    queryFn: () => api.get<Page<Organisation>>('/organisations', { type: props.type, active: true, q, limit: 50 }),
    placeholderData: (prev) => prev,
  });
  const listed = orgs.data?.items ?? [];
  // A value set from outside (a drill-down link) shows its name, not its id.
  const selected = useQuery({
    queryKey: ['organisations', 'one', props.value],
    queryFn: () => api.get<Organisation>(`/organisations/${props.value}`),
    enabled: !!props.value && !listed.some((o) => o.id === props.value),
    meta: { silent: true },
  });
  const all = selected.data && !listed.some((o) => o.id === selected.data.id) ? [selected.data, ...listed] : listed;
  const options = all.filter((o) => !props.exclude?.includes(o.id)).map((o) => ({ value: o.id, label: o.name }));
  return (
    <Select<number>
      id={props.id}
      aria-label={props['aria-label']}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear={props.allowClear}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      placeholder={props.placeholder}
      loading={orgs.isFetching}
      options={options}
      style={props.style}
      notFoundContent={null}
    />
  );
}

/** A searchable select of round-units in scope ("第 1 轮 · 市教育局党委"). */
export function RoundUnitSelect(props: {
  value?: number | null;
  onChange?: (v: number | null, ru?: RoundUnit) => void;
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
  style?: CSSProperties;
  allowClear?: boolean;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const list = useQuery({
    queryKey: ['round-units', 'search', q],
    queryFn: () => api.get<Page<RoundUnit>>('/round-units', { q, limit: 50 }),
    placeholderData: (prev) => prev,
  });
  const selected = useQuery({
    queryKey: ['round-units', 'one', props.value],
    queryFn: () => api.get<RoundUnit>(`/round-units/${props.value}`),
    enabled: !!props.value && !list.data?.items.some((r) => r.id === props.value),
  });
  const items = [...(list.data?.items ?? [])];
  if (selected.data && !items.some((r) => r.id === selected.data.id)) items.unshift(selected.data);
  return (
    <Select<number>
      id={props.id}
      aria-label={props['aria-label']}
      showSearch={{ filterOption: false, onSearch: setQ }}
      allowClear={props.allowClear}
      value={props.value ?? undefined}
      onChange={(v) =>
        props.onChange?.(
          v ?? null,
          items.find((r) => r.id === v),
        )
      }
      placeholder={props.placeholder}
      loading={list.isFetching}
      popupMatchSelectWidth={false}
      options={items.map((r) => ({
        value: r.id,
        label: `${r.roundName} · ${r.unitName}`,
        title: `${t('ledger.rounds.numberLabel', { n: r.roundNumber })} · ${r.unitName}`,
      }))}
      style={props.style}
      notFoundContent={null}
    />
  );
}

export const roundUnitKey = (id: number) => ['round-units', 'detail', id] as const;

export function useRoundUnit(id: number) {
  return useQuery({
    queryKey: roundUnitKey(id),
    queryFn: () => api.get<RoundUnitDetail>(`/round-units/${id}`),
    enabled: Number.isInteger(id) && id > 0,
    meta: { silent: true },
  });
}
