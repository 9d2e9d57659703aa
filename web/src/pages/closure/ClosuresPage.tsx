import { CheckCircleOutlined, FileDoneOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Form, Input, List, Select, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  CLOSURE_STATUSES,
  type ClosureStatus,
  RECHECK_STATUSES,
  type RecheckStatus,
} from '../../../../domain/progress';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { MeasureDrawer } from '../ledger/MeasureDrawer';
import { MeasureStatusTag } from '../ledger/shared';
import type { LedgerPage, LedgerRow } from '../ledger/types';
import { FormModal } from '../rounds/FormModal';
import { ApplyModal } from './ApplyModal';
import { ClosureDrawer } from './ClosureDrawer';
import { ClosureStatusTag, RecheckStatusTag } from './shared';
import type { Closure, Recheck, StalledMeasure } from './types';

type Cursor = number | string;

/**
 * 对账销号 (SPEC M7, M18): completed measures the unit may put forward, the applications to verify
 * and decide, the re-checks due after closure and the stalled measures.
 */
export default function ClosuresPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const [openId, setOpenId] = useState<number | null>(Number(params.get('closure')) || null);
  const tab = params.get('tab') ?? (can('closure.apply') && !can('closure.verify') ? 'apply' : 'queue');
  const setTab = (k: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', k);
    setParams(next, { replace: true });
  };
  return (
    <div>
      <PageHeader title={t('closure.title')} intro={t('closure.intro')} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          ...(can('closure.apply')
            ? [
                {
                  key: 'apply',
                  label: t('closure.tabs.apply'),
                  children: <ClosableTab onApplied={(id) => setOpenId(id)} />,
                },
              ]
            : []),
          { key: 'queue', label: t('closure.tabs.queue'), children: <QueueTab onOpen={setOpenId} /> },
          { key: 'rechecks', label: t('closure.tabs.rechecks'), children: <RechecksTab /> },
          { key: 'stalled', label: t('closure.tabs.stalled'), children: <StalledTab /> },
        ]}
      />
      <ClosureDrawer closureId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

/** Completed measures without an application yet: 申请销号. */
function ClosableTab({ onApplied }: { onApplied: (closureId: number) => void }) {
  const { t } = useTranslation();
  const [applying, setApplying] = useState<LedgerRow | null>(null);
  const q = useQuery({
    queryKey: ['closable'],
    queryFn: () => api.get<LedgerPage>('/ledger', { status: 'completed', limit: 100 }),
  });
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('closure.closableIntro')}</Typography.Paragraph>
      <List<LedgerRow>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="closable-list"
        locale={{ emptyText: <Empty description={t('closure.noneClosable')} /> }}
        renderItem={(m) => (
          <List.Item data-testid={`closable-${m.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <Typography.Text strong>{m.problemNumber}</Typography.Text>
                  <Typography.Text type="secondary">{m.unitName}</Typography.Text>
                  <MeasureStatusTag status={m.status} />
                </Space>
                <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 3, expandable: true }}>
                  {m.content}
                </Typography.Paragraph>
              </div>
              <Button
                type="primary"
                icon={<FileDoneOutlined />}
                onClick={() => setApplying(m)}
                data-testid={`closure-apply-${m.id}`}
              >
                {t('closure.apply')}
              </Button>
            </div>
          </List.Item>
        )}
      />
      <ApplyModal measure={applying} onClose={() => setApplying(null)} onApplied={(c) => onApplied(c.id)} />
    </div>
  );
}

function QueueTab({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const mayAct = can('closure.verify') || can('closure.decide');
  const [status, setStatus] = useState<ClosureStatus | undefined>('pending');
  const [pages, setPages] = useState<Cursor[]>([]);
  const after = pages[pages.length - 1];
  const q = useQuery({
    queryKey: ['closures', { status, after }],
    queryFn: () =>
      api.get<{ items: Closure[]; nextCursor: Cursor | null }>('/closures', { status, cursor: after, limit: 50 }),
    placeholderData: (prev) => prev,
  });
  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('closure.filterStatus')}
          placeholder={t('closure.filterStatus')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPages([]);
          }}
          options={CLOSURE_STATUSES.map((s) => ({ value: s, label: t(`closure.status.${s}`) }))}
          style={{ width: 160 }}
        />
      </div>
      <List<Closure>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="closures-list"
        locale={{ emptyText: t('closure.noneInQueue') }}
        renderItem={(c) => (
          <List.Item data-testid={`closure-row-${c.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <ClosureStatusTag status={c.status} />
                  {c.unitName && <Typography.Text strong>{c.unitName}</Typography.Text>}
                  {c.problemNumber && <Typography.Text type="secondary">{c.problemNumber}</Typography.Text>}
                </Space>
                <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2 }}>
                  {c.measureContent ?? c.summary}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('closure.appliedBy', { who: c.applicantName ?? '—', time: formatTime(c.appliedAt) })}
                </Typography.Text>
              </div>
              <Button
                type={c.status === 'pending' && mayAct ? 'primary' : 'default'}
                onClick={() => onOpen(c.id)}
                data-testid={`closure-open-${c.id}`}
              >
                {c.status === 'pending' && mayAct ? t('closure.open') : t('closure.view')}
              </Button>
            </div>
          </List.Item>
        )}
      />
      {(pages.length > 0 || q.data?.nextCursor) && (
        <Space style={{ marginTop: 12 }}>
          <Button disabled={pages.length === 0} onClick={() => setPages((p) => p.slice(0, -1))}>
            {t('common.prevPage')}
          </Button>
          <Button disabled={!q.data?.nextCursor} onClick={() => setPages((p) => [...p, q.data!.nextCursor!])}>
            {t('common.nextPage')}
          </Button>
        </Space>
      )}
    </div>
  );
}

function RechecksTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [status, setStatus] = useState<RecheckStatus | undefined>('pending');
  const [recording, setRecording] = useState<{ r: Recheck; result: 'passed' | 'failed' } | null>(null);
  const q = useQuery({
    queryKey: ['rechecks', { status }],
    queryFn: () => api.get<{ items: Recheck[]; nextCursor?: Cursor | null }>('/rechecks', { status, limit: 100 }),
  });
  const record = useMutation({
    mutationFn: (v: { note?: string }) =>
      api.post(`/rechecks/${recording!.r.id}`, {
        version: recording!.r.version,
        result: recording!.result,
        note: v.note?.trim() || undefined,
      }),
    onSuccess: () => {
      toast('success', t('closure.recheckRecorded'));
      setRecording(null);
      for (const k of ['rechecks', 'closures', 'ledger', 'dashboard']) void qc.invalidateQueries({ queryKey: [k] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['rechecks'] })),
  });
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('closure.rechecksIntro')}</Typography.Paragraph>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('closure.filterStatus')}
          placeholder={t('closure.filterStatus')}
          value={status}
          onChange={setStatus}
          options={RECHECK_STATUSES.map((s) => ({ value: s, label: t(`closure.recheckStatus.${s}`) }))}
          style={{ width: 160 }}
        />
      </div>
      <List<Recheck>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="rechecks-list"
        locale={{ emptyText: t('closure.noRechecks') }}
        renderItem={(r) => (
          <List.Item>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <RecheckStatusTag status={r.status} />
                  {r.unitName && <Typography.Text strong>{r.unitName}</Typography.Text>}
                  <span>{t('closure.recheckDue', { date: r.dueDate, months: r.monthsAfter })}</span>
                  {r.status === 'pending' && r.overdue && (
                    <Typography.Text type="danger">{t('progress.overdue')}</Typography.Text>
                  )}
                </Space>
                <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2, expandable: true }}>
                  {r.problemNumber} {r.measureContent}
                </Typography.Paragraph>
                {r.doneAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.doneByName ?? '—'} · {formatTime(r.doneAt)} {r.resultNote ? `· ${r.resultNote}` : ''}
                  </Typography.Text>
                )}
              </div>
              {r.status === 'pending' && can('recheck.write') && (
                <Space wrap>
                  <Button icon={<CheckCircleOutlined />} onClick={() => setRecording({ r, result: 'passed' })}>
                    {t('closure.recheckPassed')}
                  </Button>
                  <Button danger onClick={() => setRecording({ r, result: 'failed' })}>
                    {t('closure.recheckFailed')}
                  </Button>
                </Space>
              )}
            </div>
          </List.Item>
        )}
      />
      <FormModal<{ note?: string }>
        open={!!recording}
        title={recording?.result === 'failed' ? t('closure.recheckFailed') : t('closure.recheckPassed')}
        onCancel={() => setRecording(null)}
        onFinish={(v) => record.mutate(v)}
        busy={record.isPending}
        okDanger={recording?.result === 'failed'}
      >
        {recording?.result === 'failed' && (
          <Typography.Paragraph type="secondary">{t('closure.recheckFailedHint')}</Typography.Paragraph>
        )}
        <Form.Item
          name="note"
          label={t('closure.note')}
          rules={
            recording?.result === 'failed'
              ? [{ required: true, whitespace: true, message: t('common.required', { field: t('closure.note') }) }]
              : []
          }
        >
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </FormModal>
    </div>
  );
}

function StalledTab() {
  const { t } = useTranslation();
  const [openId, setOpenId] = useState<number | null>(null);
  const q = useQuery({
    queryKey: ['stalled'],
    queryFn: () =>
      api.get<{ items: StalledMeasure[]; stalledDays: number; nextCursor: string | null }>('/measures/stalled', {
        limit: 100,
      }),
  });
  return (
    <div>
      <Typography.Paragraph type="secondary">
        {t('closure.stalledIntro', { days: q.data?.stalledDays ?? '—' })}
      </Typography.Paragraph>
      <List<StalledMeasure>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="stalled-list"
        locale={{ emptyText: t('closure.noStalled') }}
        renderItem={(m) => (
          <List.Item>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  {m.unitName && <Typography.Text strong>{m.unitName}</Typography.Text>}
                  {m.problemNumber && <Typography.Text type="secondary">{m.problemNumber}</Typography.Text>}
                  <MeasureStatusTag status={m.status} />
                  <Typography.Text type="warning">
                    {t('closure.lastProgress', { time: formatTime(m.lastProgressAt), days: m.daysWithoutProgress })}
                  </Typography.Text>
                </Space>
                <Typography.Paragraph style={{ margin: '4px 0 0' }} ellipsis={{ rows: 2, expandable: true }}>
                  {m.content}
                </Typography.Paragraph>
              </div>
              <Button onClick={() => setOpenId(m.measureId)}>{t('closure.openMeasure')}</Button>
            </div>
          </List.Item>
        )}
      />
      <MeasureDrawer measureId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}
