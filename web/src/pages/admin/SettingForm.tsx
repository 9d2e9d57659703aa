import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Skeleton } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Setting } from '../../api/types';

export type SettingsArea = 'system' | 'security';

export function useSettings(area: SettingsArea) {
  return useQuery({
    queryKey: ['settings', area],
    queryFn: () => api.get<{ items: Setting<unknown>[] }>(`/settings/${area}`),
  });
}

/**
 * One setting as one card and form. It sends back the version it read (0 when never set); a stale
 * version offers a reload. `toValue` builds exactly what the server's schema takes (write-only fields
 * only when typed).
 */
export function SettingForm<F extends object>(props: {
  area: SettingsArea;
  settingKey: string;
  title: string;
  fromValue: (value: unknown) => F;
  toValue: (form: F, current: unknown) => unknown;
  children: ReactNode;
  extra?: (value: unknown) => ReactNode;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const settings = useSettings(props.area);
  const [form] = Form.useForm<F>();
  const setting = settings.data?.items.find((s) => s.key === props.settingKey);
  const { fromValue } = props;

  useEffect(() => {
    if (setting) form.setFieldsValue(fromValue(setting.value) as Parameters<typeof form.setFieldsValue>[0]);
  }, [setting, form, fromValue]);

  const save = useMutation({
    mutationFn: (v: F) =>
      api.put<Setting<unknown>>(`/settings/${props.area}/${props.settingKey}`, {
        value: props.toValue(v, setting?.value),
        version: setting?.version ?? 0,
      }),
    onSuccess: () => {
      toast('success', t('common.saved'));
      void qc.invalidateQueries({ queryKey: ['settings', props.area] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['settings', props.area] })),
  });

  return (
    <Card title={props.title} extra={setting && props.extra?.(setting.value)}>
      {!setting ? (
        <Skeleton active />
      ) : (
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)} style={{ maxWidth: 560 }}>
          {props.children}
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('settings.saveSection', { section: props.title })}
          </Button>
        </Form>
      )}
    </Card>
  );
}
