import { useQuery } from '@tanstack/react-query';
import { Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { LiaisonLink, Organisation, Page } from '../../api/types';
import { useMe } from '../../app/auth';
import type { Light } from './types';
import '../progress/progress.css';

const LIGHT_COLOR: Record<Light, string> = { green: 'success', amber: 'warning', red: 'error' };

/** A milestone's or plan's light: coloured and named (never by colour alone). */
export function LightTag({ light, testId }: { light: Light; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={LIGHT_COLOR[light]} data-light={light} data-testid={testId}>
      {t(`supervision.light.${light}`)}
    </Tag>
  );
}

/** 'YYYY-MM-DD' of a DatePicker value (undefined when empty). */
export function ymd(d: Dayjs | null | undefined): string | undefined {
  return d ? d.format('YYYY-MM-DD') : undefined;
}

/**
 * The units the caller may supervise: a supervisor's liaison units, the office's inspected units.
 */
export function useUnitOptions(enabled = true) {
  const me = useMe();
  return useQuery({
    queryKey: ['supervision-units', me.role, me.orgId],
    enabled,
    queryFn: async () => {
      if (me.role === 'supervisor') {
        const links = await api.get<LiaisonLink[] | { items: LiaisonLink[] }>('/liaison-links', {
          supervisorOrgId: me.orgId,
        });
        const list = Array.isArray(links) ? links : links.items;
        const seen = new Map<number, string>();
        for (const l of list) seen.set(l.unitOrgId, l.unitName);
        return [...seen].map(([value, label]) => ({ value, label }));
      }
      const orgs = await api.get<Page<Organisation>>('/organisations', {
        type: 'inspected_unit',
        active: true,
        limit: 1000,
      });
      return orgs.items.map((o) => ({ value: o.id, label: o.shortName || o.name }));
    },
  });
}

/** Active organisations of one type, as Select options. */
export function useOrgOptions(type: string, enabled = true) {
  return useQuery({
    queryKey: ['org-options', type],
    enabled,
    queryFn: async () => {
      const orgs = await api.get<Page<Organisation>>('/organisations', { type, active: true, limit: 1000 });
      return orgs.items.map((o) => ({ value: o.id, label: o.name }));
    },
  });
}
