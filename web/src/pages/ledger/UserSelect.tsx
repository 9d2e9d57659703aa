import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Page, User } from '../../api/types';
import { useCan, useMe } from '../../app/auth';

/**
 * Picks an account (a measure's owner). Who may read accounts searches them all; anyone else can
 * pick themselves (a unit's liaison assigning a measure to itself) or keep the current one.
 */
export function UserSelect(props: {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
  style?: CSSProperties;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const [q, setQ] = useState('');
  const searchable = can('user.read');
  const users = useQuery({
    queryKey: ['users', 'search', q],
    queryFn: () => api.get<Page<User>>('/users', { q, limit: 30, disabled: false }),
    enabled: searchable,
    placeholderData: (prev) => prev,
  });
  const one = useQuery({
    queryKey: ['users', 'one', props.value],
    queryFn: () => api.get<User>(`/users/${props.value}`),
    enabled: searchable && !!props.value && props.value !== me.id,
    meta: { silent: true },
  });
  const options = new Map<number, string>([[me.id, `${me.displayName}（${me.username}）`]]);
  for (const u of users.data?.items ?? []) options.set(u.id, `${u.displayName}（${u.username}）`);
  if (one.data) options.set(one.data.id, `${one.data.displayName}（${one.data.username}）`);
  if (props.value && !options.has(props.value))
    options.set(props.value, t('ledger.immediate.userN', { id: props.value }));

  return (
    <Select<number>
      id={props.id}
      aria-label={props['aria-label']}
      allowClear
      disabled={props.disabled}
      showSearch={searchable ? { filterOption: false, onSearch: setQ } : false}
      value={props.value ?? undefined}
      onChange={(v) => props.onChange?.(v ?? null)}
      placeholder={props.placeholder}
      loading={users.isFetching}
      options={[...options].map(([value, label]) => ({ value, label }))}
      style={props.style}
      popupMatchSelectWidth={false}
    />
  );
}
