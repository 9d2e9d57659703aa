import { CheckOutlined, CloseOutlined, EyeOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EXTENSION_STATUSES, type ExtensionStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Organisation } from '../../api/types';
import { useCan } from '../../app/auth';
import { CursorPager } from '../../components/CursorPager';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { MeasureDrawer } from './MeasureDrawer';
import { deadlineLights, MeasureStatusTag, todayText } from './shared';
import type { Extension, Measure } from './types';

/** 延期申请: the queue to decide (pending first) and the history, with original vs approved deadlines. */
export default function ExtensionsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [status, setStatus] = useState<ExtensionStatus | undefined>('pending');
  const [cursors, setCursors] = useState<number[]>([0]);
  const [limit, setLimit] = useState(20);
  const [deciding, setDeciding] = useState<{ ext: Extension; approve: boolean } | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const after = cursors[cursors.length - 1];
  const list = useQuery({
    queryKey: ['extensions', 'page', { status, after, limit }],
    queryFn: () => api.get<{ items: Extension[]; nextCursor: number | null }>('/extensions', { status, after, limit }),
    placeholderData: (prev) => prev,
  });
  const items = list.data?.items ?? [];

  // The measure and the unit behind each request (the list carries their ids only).
  const measureIds = [...new Set(items.map((e) => e.measureId))];
  const measures = useQueries({
    queries: measureIds.map((id) => ({
      queryKey: ['measure', 'ext', id],
      queryFn: () => api.get<Measure>(`/measures/${id}`),
      meta: { silent: true },
    })),
  });
  const measureOf = new Map(measures.filter((q) => q.data).map((q) => [q.data!.id, q.data!]));
  const orgIds = [...new Set(items.map((e) => e.unitOrgId))];
  const orgs = useQueries({
    queries: orgIds.map((id) => ({
      queryKey: ['organisations', 'one', id],
      queryFn: () => api.get<Organisation>(`/organisations/${id}`),
      staleTime: 10 * 60_000,
      meta: { silent: true },
    })),
  });
  const orgName = new Map(orgs.filter((q) => q.data).map((q) => [q.data!.id, q.data!.name]));
  const today = todayText();

  const decide = useMutation({
    mutationFn: (v: { ext: Extension; approve: boolean; note?: string }) =>
      api.post<Extension>(`/extensions/${v.ext.id}/decide`, {
        approve: v.approve,
        note: v.note?.trim() || undefined,
        version: v.ext.version,
      }),
    onSuccess: () => {
      toast('success', t('ledger.extension.decided'));
      setDeciding(null);
      void qc.invalidateQueries({ queryKey: ['extensions'] });
      void qc.invalidateQueries({ queryKey: ['measure'] });
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['extensions'] })),
  });

  return (
    <div>
      <PageHeader title={t('ledger.extension.title')} intro={t('ledger.extension.intro')} />
      <div className="toolbar">
        <Select
          allowClear
          placeholder={t('ledger.extension.filterStatus')}
          aria-label={t('ledger.extension.filterStatus')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setCursors([0]);
          }}
          options={EXTENSION_STATUSES.map((s) => ({ value: s, label: t(`ledger.extensionStatus.${s}`) }))}
          style={{ width: 160 }}
        />
      </div>
      <Table<Extension>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="extensions-table"
        columns={[
          {
            title: t('ledger.extension.unit'),
            dataIndex: 'unitOrgId',
            width: 120,
            render: (id: number) => orgName.get(id) ?? '…',
          },
          {
            title: t('ledger.extension.measure'),
            key: 'measure',
            width: 230,
            render: (_: unknown, e) => {
              const m = measureOf.get(e.measureId);
              return (
                <Space align="start" size={4}>
                  <div>
                    <Typography.Paragraph style={{ margin: 0, maxWidth: 200 }} ellipsis={{ rows: 3, expandable: true }}>
                      {m?.content ?? '…'}
                    </Typography.Paragraph>
                    {m && <MeasureStatusTag status={m.status} />}
                  </div>
                  <Tooltip title={t('ledger.sheet.open')}>
                    <Button
                      size="small"
                      type="text"
                      icon={<EyeOutlined />}
                      aria-label={t('ledger.sheet.open')}
                      onClick={() => setOpenId(e.measureId)}
                    />
                  </Tooltip>
                </Space>
              );
            },
          },
          {
            title: t('ledger.extension.original'),
            key: 'original',
            width: 100,
            render: (_: unknown, e) => {
              const m = measureOf.get(e.measureId);
              if (!m) return e.previousDeadline;
              const l = deadlineLights(m, today);
              return (
                <Space orientation="vertical" size={2}>
                  <span>{m.deadline}</span>
                  <LightText overdue={l.original} done={m.isDone} />
                </Space>
              );
            },
          },
          {
            title: t('ledger.extension.requestedDeadline'),
            dataIndex: 'requestedDeadline',
            width: 100,
          },
          {
            title: t('ledger.extension.approvedDeadline'),
            key: 'approved',
            width: 100,
            render: (_: unknown, e) => {
              const m = measureOf.get(e.measureId);
              if (e.status !== 'approved' || !m?.extendedDeadline) return '—';
              const l = deadlineLights(m, today);
              return (
                <Space orientation="vertical" size={2}>
                  <span>{m.extendedDeadline}</span>
                  <LightText overdue={l.extended} done={m.isDone} />
                </Space>
              );
            },
          },
          {
            title: t('ledger.extension.reason'),
            dataIndex: 'reason',
            width: 190,
            render: (v: string, e) => (
              <div>
                <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                  {v}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.requestedByName ?? '—'} · {formatTime(e.requestedAt)}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('ledger.extension.status'),
            key: 'status',
            width: 130,
            render: (_: unknown, e) => (
              <div>
                <Tag color={e.status === 'approved' ? 'success' : e.status === 'rejected' ? 'error' : 'processing'}>
                  {t(`ledger.extensionStatus.${e.status}`)}
                </Tag>
                {e.decidedAt && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.decidedByName ?? '—'} · {formatTime(e.decidedAt)}
                    </Typography.Text>
                  </div>
                )}
                {e.decisionNote && <div>{e.decisionNote}</div>}
              </div>
            ),
          },
          ...(can('extension.decide')
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 130,
                  render: (_: unknown, e: Extension) =>
                    e.status === 'pending' ? (
                      <Space wrap size={4}>
                        <Button
                          size="small"
                          type="primary"
                          icon={<CheckOutlined />}
                          onClick={() => setDeciding({ ext: e, approve: true })}
                          data-testid={`extension-approve-${e.id}`}
                        >
                          {t('ledger.extension.approve')}
                        </Button>
                        <Button
                          size="small"
                          danger
                          icon={<CloseOutlined />}
                          onClick={() => setDeciding({ ext: e, approve: false })}
                        >
                          {t('ledger.extension.reject')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <CursorPager
        page={cursors.length}
        total={undefined}
        hasNext={list.data?.nextCursor != null}
        pageSize={limit}
        onPrev={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => list.data?.nextCursor != null && setCursors((c) => [...c, list.data!.nextCursor!])}
        onPageSize={(n) => {
          setLimit(n);
          setCursors([0]);
        }}
      />
      <FormModal<{ note?: string }>
        open={!!deciding}
        title={t('ledger.extension.decideTitle')}
        onCancel={() => setDeciding(null)}
        onFinish={(v) => deciding && decide.mutate({ ...deciding, note: v.note })}
        busy={decide.isPending}
        okText={deciding?.approve ? t('ledger.extension.approve') : t('ledger.extension.reject')}
        okDanger={deciding ? !deciding.approve : false}
        testId="extension-decide-save"
      >
        {deciding && (
          <Typography.Paragraph>
            {deciding.ext.previousDeadline} → <Typography.Text strong>{deciding.ext.requestedDeadline}</Typography.Text>
            <br />
            {deciding.ext.reason}
          </Typography.Paragraph>
        )}
        <Form.Item name="note" label={t('ledger.extension.note')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </FormModal>
      <MeasureDrawer measureId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

function LightText({ overdue, done }: { overdue: boolean; done: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={done || !overdue ? 'success' : 'error'}>
      {done ? t('ledger.measure.done') : overdue ? t('ledger.measure.overdue') : t('ledger.measure.onTime')}
    </Tag>
  );
}
