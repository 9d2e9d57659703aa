import { SwapOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, DatePicker, Drawer, Empty, Form, Input, List, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { RoundUnitSelect } from '../rounds/shared';
import { ymd } from './shared';
import type { Paged } from './types';

interface Resp {
  id: number;
  roundUnitId: number;
  unitName: string;
  fromName: string;
  toName: string;
  effectiveDate: string;
  reason: string;
  measureCount: number;
  recordedByName: string | null;
  createdAt: number;
}

interface RespDetail extends Resp {
  measures: { measureId: number; problemNumber: string; content: string; status: string }[];
}

interface Notice {
  id: number;
  handoverId: number;
  role: 'outgoing' | 'successor';
  unitName: string;
  fromName: string;
  toName: string;
  effectiveDate: string;
  reason: string;
  measureCount: number;
  readAt: number | null;
}

interface RespForm {
  fromName: string;
  toName: string;
  effectiveDate: Dayjs;
  reason: string;
}

/**
 * 整改责任交接 (SPEC M18): when a responsible leader changes post, the unit (or the office) records the
 * handover and that person's open measures move to the successor; both are notified. Here: the
 * caller's notices, and a round-unit's handovers with the form to record one.
 */
export function ResponsibilityTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [roundUnitId, setRoundUnitId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const notices = useQuery({
    queryKey: ['handover-notices'],
    queryFn: () => api.get<Paged<Notice>>('/my/handover-notices', { limit: 50 }),
  });
  const list = useQuery({
    queryKey: ['responsibility-handovers', roundUnitId],
    enabled: roundUnitId !== null,
    queryFn: () => api.get<Paged<Resp>>(`/round-units/${roundUnitId}/responsibility-handovers`, { limit: 100 }),
  });
  const detail = useQuery({
    queryKey: ['responsibility-handover', openId],
    enabled: openId !== null,
    queryFn: () => api.get<RespDetail>(`/responsibility-handovers/${openId}`),
  });
  const read = useMutation({
    mutationFn: (id: number) => api.post(`/my/handover-notices/${id}/read`, {}),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['handover-notices'] }),
    onError: (e) => handleWriteError(e),
  });
  const create = useMutation({
    mutationFn: (v: RespForm) =>
      api.post<Resp>(`/round-units/${roundUnitId}/responsibility-handovers`, {
        fromName: v.fromName.trim(),
        toName: v.toName.trim(),
        effectiveDate: ymd(v.effectiveDate),
        reason: v.reason.trim(),
      }),
    onSuccess: (r) => {
      toast('success', t('supervision.resp.created', { n: r.measureCount }));
      setCreating(false);
      void qc.invalidateQueries({ queryKey: ['responsibility-handovers'] });
      void qc.invalidateQueries({ queryKey: ['handover-notices'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const req = (field: string) => [{ required: true, whitespace: true, message: t('common.required', { field }) }];
  const line = (r: Pick<Resp, 'fromName' | 'toName' | 'effectiveDate' | 'measureCount'>) =>
    t('supervision.resp.line', { from: r.fromName, to: r.toName, date: r.effectiveDate, n: r.measureCount });
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('supervision.resp.intro')}</Typography.Paragraph>
      {(notices.data?.items.length ?? 0) > 0 && (
        <>
          <Typography.Title level={5}>{t('supervision.resp.notices')}</Typography.Title>
          <List<Notice>
            bordered
            size="small"
            style={{ marginBottom: 16 }}
            dataSource={notices.data?.items ?? []}
            data-testid="resp-notices"
            renderItem={(n) => (
              <List.Item
                actions={[
                  !n.readAt && (
                    <Button key="r" size="small" onClick={() => read.mutate(n.id)}>
                      {t('supervision.resp.markRead')}
                    </Button>
                  ),
                ].filter(Boolean)}
              >
                <Space wrap size={4}>
                  <Tag color={n.role === 'successor' ? 'processing' : 'default'}>
                    {t(`supervision.resp.role.${n.role}`)}
                  </Tag>
                  {!n.readAt && <Tag color="warning">{t('supervision.resp.unread')}</Tag>}
                  <Typography.Text strong>{n.unitName}</Typography.Text>
                  <span>{line(n)}</span>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
      <div className="toolbar">
        <RoundUnitSelect
          aria-label={t('supervision.resp.roundUnit')}
          placeholder={t('supervision.resp.roundUnit')}
          value={roundUnitId}
          onChange={(v) => setRoundUnitId(v)}
          style={{ width: 300, maxWidth: '100%' }}
        />
        {can('ledger.write') && (
          <Button
            type="primary"
            icon={<SwapOutlined />}
            disabled={roundUnitId === null}
            onClick={() => setCreating(true)}
            data-testid="resp-create"
          >
            {t('supervision.resp.create')}
          </Button>
        )}
      </div>
      {roundUnitId !== null && (
        <List<Resp>
          bordered
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          data-testid="resp-list"
          locale={{ emptyText: <Empty description={t('supervision.resp.none')} /> }}
          renderItem={(r) => (
            <List.Item data-testid={`resp-${r.id}`}>
              <div className="period-row">
                <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                  <div>{line(r)}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.reason} · {r.recordedByName ?? '—'} · {formatTime(r.createdAt)}
                  </Typography.Text>
                </div>
                <Button size="small" onClick={() => setOpenId(r.id)}>
                  {t('supervision.resp.open')}
                </Button>
              </div>
            </List.Item>
          )}
        />
      )}
      <Drawer
        open={openId !== null}
        onClose={() => setOpenId(null)}
        title={t('supervision.resp.detail')}
        size={640}
        destroyOnHidden
        loading={detail.isLoading}
      >
        {detail.data && (
          <>
            <Typography.Paragraph>{line(detail.data)}</Typography.Paragraph>
            <Typography.Paragraph type="secondary">{detail.data.reason}</Typography.Paragraph>
            <List
              bordered
              size="small"
              header={t('supervision.resp.measures')}
              dataSource={detail.data.measures}
              renderItem={(m) => (
                <List.Item>
                  {m.problemNumber} · {m.content}
                </List.Item>
              )}
            />
          </>
        )}
      </Drawer>
      <FormModal<RespForm>
        open={creating}
        title={t('supervision.resp.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        initialValues={{ effectiveDate: dayjs() }}
        testId="resp-save"
      >
        <Form.Item name="fromName" label={t('supervision.resp.fromName')} rules={req(t('supervision.resp.fromName'))}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="toName" label={t('supervision.resp.toName')} rules={req(t('supervision.resp.toName'))}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="effectiveDate"
          label={t('supervision.resp.effectiveDate')}
          rules={[{ required: true, message: t('supervision.resp.effectiveDate') }]}
        >
          <DatePicker />
        </Form.Item>
        <Form.Item name="reason" label={t('supervision.resp.reason')} rules={req(t('supervision.resp.reason'))}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </FormModal>
    </div>
  );
}
