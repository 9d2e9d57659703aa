import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Grid, List, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';

interface Notice {
  id: number;
  kind: string;
  severity: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: number;
  readAt: number | null;
}
interface Delivery {
  id: number;
  noticeId: number;
  channel: string;
  status: string;
  attempts: number;
  nextAttemptAt: number;
  target: string | null;
  lastError: string | null;
  sentAt: number | null;
  title: string;
  kind: string;
  userName: string;
}
interface JobRun {
  id: number;
  job: string;
  periodKey: string;
  status: string;
  claimedBy: string;
  attempts: number;
  startedAt: number;
  finishedAt: number | null;
  result: unknown;
  error: string | null;
}
interface Sign {
  unitOrgId: number;
  unitName: string;
  overdue: number;
  onBooks: number;
  planOnly: number;
  routineWork: number;
}

const KINDS = ['deadline', 'overdue', 'stalled', 'meeting_missed', 'warning_signs', 'digest'] as const;
const SEVERITY_COLOR: Record<string, string> = { info: 'blue', warning: 'gold', danger: 'red' };
const STATUS_COLOR: Record<string, string> = {
  pending: 'default',
  sending: 'processing',
  sent: 'success',
  failed: 'error',
  skipped: 'default',
  running: 'processing',
  done: 'success',
};
const when = (ms: number | null) => (ms === null ? '—' : dayjs(ms).format('YYYY-MM-DD HH:mm'));

function MyNotices() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const narrow = !Grid.useBreakpoint().md; // on a phone the actions go under the text, not beside it
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['notices', 'mine', unreadOnly, page],
    queryFn: () =>
      api.get<{ items: Notice[]; total: number; unread: number }>('/notices', {
        unread: unreadOnly || undefined,
        page,
        pageSize: 20,
      }),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['notices'] });
  const read = useMutation({
    mutationFn: (id: number) => api.post<Notice>(`/notices/${id}/read`),
    onSuccess: refresh,
    onError: (e) => handleWriteError(e),
  });
  const readAll = useMutation({
    mutationFn: () => api.post<{ updated: number }>('/notices/read-all'),
    onSuccess: (r) => {
      toast('success', t('notices.markedAll', { count: r.updated }));
      refresh();
    },
    onError: (e) => handleWriteError(e),
  });
  const kindLabel = (k: string) =>
    (KINDS as readonly string[]).includes(k) ? t(`notices.kind.${k}` as never) : t('notices.kind.other');

  return (
    <Card
      title={q.data ? t('notices.total', { total: q.data.total, unread: q.data.unread }) : t('notices.mine')}
      extra={
        <Space wrap>
          <Space size={4}>
            <Switch
              size="small"
              checked={unreadOnly}
              onChange={(v) => {
                setUnreadOnly(v);
                setPage(1);
              }}
              aria-label={t('notices.unreadOnly')}
            />
            <span>{t('notices.unreadOnly')}</span>
          </Space>
          <Button
            onClick={() => readAll.mutate()}
            disabled={!q.data?.unread}
            loading={readAll.isPending}
            data-testid="notices-read-all"
          >
            {t('notices.markAllRead')}
          </Button>
        </Space>
      }
    >
      <List<Notice>
        itemLayout={narrow ? 'vertical' : 'horizontal'}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: t('notices.empty') }}
        pagination={
          (q.data?.total ?? 0) > 20
            ? { current: page, pageSize: 20, total: q.data?.total, onChange: setPage, showSizeChanger: false }
            : false
        }
        renderItem={(n) => (
          <List.Item
            data-testid="notice-item"
            data-unread={n.readAt === null ? 'true' : 'false'}
            actions={[
              n.readAt === null ? (
                <Button
                  key="read"
                  size="small"
                  onClick={() => read.mutate(n.id)}
                  loading={read.isPending && read.variables === n.id}
                  data-testid={`notice-read-${n.id}`}
                >
                  {t('notices.markRead')}
                </Button>
              ) : (
                <Typography.Text key="read" type="secondary">
                  {t('notices.read')}
                </Typography.Text>
              ),
              ...(n.link
                ? [
                    <Button
                      key="open"
                      size="small"
                      type="link"
                      onClick={() => {
                        if (n.readAt === null) read.mutate(n.id);
                        navigate(n.link ?? '/');
                      }}
                    >
                      {t('notices.open')}
                    </Button>,
                  ]
                : []),
            ]}
          >
            <List.Item.Meta
              avatar={<Badge status={n.readAt === null ? 'processing' : 'default'} />}
              title={
                <Space wrap size={6}>
                  <Tag color={SEVERITY_COLOR[n.severity] ?? 'default'}>{kindLabel(n.kind)}</Tag>
                  <Typography.Text strong={n.readAt === null}>{n.title}</Typography.Text>
                </Space>
              }
              description={
                <>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
                    {n.body}
                  </Typography.Paragraph>
                  <Typography.Text type="secondary">{when(n.createdAt)}</Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function Deliveries() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [status, setStatus] = useState<string | undefined>();
  const [channel, setChannel] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['notices', 'deliveries', status, channel, page],
    queryFn: () =>
      api.get<{ items: Delivery[]; total: number; counts: Record<string, number> }>('/notices/deliveries', {
        status,
        channel,
        page,
        pageSize: 20,
      }),
  });
  const retry = useMutation({
    mutationFn: (id: number) => api.post(`/notices/deliveries/${id}/retry`),
    onSuccess: () => {
      toast('success', t('notices.retried'));
      void qc.invalidateQueries({ queryKey: ['notices', 'deliveries'] });
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['notices', 'deliveries'] })),
  });
  const statuses = ['pending', 'sending', 'sent', 'failed', 'skipped'];
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }} data-testid="delivery-counts">
        <Typography.Text strong>{t('notices.counts')}:</Typography.Text>
        {statuses.map((s) => (
          <Tag key={s} color={STATUS_COLOR[s]}>
            {t(`notices.status.${s}` as never)} {q.data?.counts[s] ?? 0}
          </Tag>
        ))}
      </Space>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ minWidth: 140 }}
          placeholder={t('notices.allStatuses')}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={statuses.map((s) => ({ value: s, label: t(`notices.status.${s}` as never) }))}
        />
        <Select
          allowClear
          style={{ minWidth: 160 }}
          placeholder={t('notices.allChannels')}
          value={channel}
          onChange={(v) => {
            setChannel(v);
            setPage(1);
          }}
          options={['email', 'webhook'].map((c) => ({ value: c, label: t(`notices.channel.${c}` as never) }))}
        />
      </Space>
      <Table<Delivery>
        rowKey="id"
        size="small"
        scroll={{ x: 900 }}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: q.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('notices.col.notice'), dataIndex: 'title', ellipsis: true },
          { title: t('notices.col.recipient'), dataIndex: 'userName', width: 110 },
          {
            title: t('notices.col.channel'),
            dataIndex: 'channel',
            width: 110,
            render: (c: string) => t(`notices.channel.${c}` as never),
          },
          {
            title: t('notices.col.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: string) => (
              <Tag color={STATUS_COLOR[s]} data-testid="delivery-status">
                {t(`notices.status.${s}` as never)}
              </Tag>
            ),
          },
          { title: t('notices.col.attempts'), dataIndex: 'attempts', width: 80 },
          {
            title: t('notices.col.nextAttempt'),
            width: 140,
            render: (_: unknown, d: Delivery) => (d.status === 'pending' ? when(d.nextAttemptAt) : '—'),
          },
          { title: t('notices.col.sentAt'), dataIndex: 'sentAt', width: 140, render: when },
          {
            title: t('notices.col.lastError'),
            dataIndex: 'lastError',
            ellipsis: true,
            render: (e: string | null) => e ?? '—',
          },
          {
            title: '',
            width: 100,
            render: (_: unknown, d: Delivery) =>
              d.status === 'failed' ? (
                <Button
                  size="small"
                  onClick={() => retry.mutate(d.id)}
                  loading={retry.isPending && retry.variables === d.id}
                >
                  {t('notices.retry')}
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

function JobRuns() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: ['notices', 'job-runs', page],
    queryFn: () =>
      api.get<{ items: JobRun[]; total: number; jobs: string[] }>('/notices/job-runs', { page, pageSize: 20 }),
  });
  return (
    <Card>
      <Alert type="info" showIcon message={t('notices.jobsHint')} style={{ marginBottom: 12 }} />
      <Table<JobRun>
        rowKey="id"
        size="small"
        scroll={{ x: 900 }}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        pagination={{ current: page, pageSize: 20, total: q.data?.total, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('notices.col.job'), dataIndex: 'job', width: 150 },
          { title: t('notices.col.period'), dataIndex: 'periodKey', width: 120 },
          {
            title: t('notices.col.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: string) => (
              <Tag color={STATUS_COLOR[s] ?? 'error'}>
                {t(`notices.status.${s === 'failed' ? 'failed' : s}` as never)}
              </Tag>
            ),
          },
          { title: t('notices.col.attempts'), dataIndex: 'attempts', width: 80 },
          { title: t('notices.col.startedAt'), dataIndex: 'startedAt', width: 140, render: when },
          { title: t('notices.col.finishedAt'), dataIndex: 'finishedAt', width: 140, render: when },
          { title: t('notices.col.instance'), dataIndex: 'claimedBy', ellipsis: true },
          {
            title: t('notices.col.result'),
            ellipsis: true,
            render: (_: unknown, r: JobRun) => r.error ?? (r.result ? JSON.stringify(r.result) : '—'),
          },
        ]}
      />
    </Card>
  );
}

function Signs() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['notices', 'signs'],
    queryFn: () => api.get<{ items: Sign[] }>('/notices/warning-signs'),
  });
  const n = (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : 0);
  return (
    <Card>
      <Alert type="info" showIcon message={t('notices.signsHint')} style={{ marginBottom: 12 }} />
      <Table<Sign>
        rowKey="unitOrgId"
        size="small"
        scroll={{ x: 700 }}
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        columns={[
          { title: t('notices.col.unit'), dataIndex: 'unitName' },
          { title: t('notices.col.overdue'), dataIndex: 'overdue', render: n },
          { title: t('notices.col.onBooks'), dataIndex: 'onBooks', render: n },
          { title: t('notices.col.planOnly'), dataIndex: 'planOnly', render: n },
          { title: t('notices.col.routineWork'), dataIndex: 'routineWork', render: n },
        ]}
      />
    </Card>
  );
}

/** 通知提醒: my notices; with notice.manage also every delivery's state, the job runs and the warning signs. */
export default function NoticesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const manage = can('notice.manage');
  return (
    <div>
      <PageHeader title={t('menu.notices')} />
      {manage ? (
        <Tabs
          items={[
            { key: 'mine', label: t('notices.mine'), children: <MyNotices /> },
            { key: 'deliveries', label: t('notices.deliveries'), children: <Deliveries /> },
            { key: 'jobs', label: t('notices.jobRuns'), children: <JobRuns /> },
            { key: 'signs', label: t('notices.signs'), children: <Signs /> },
          ]}
        />
      ) : (
        <MyNotices />
      )}
    </div>
  );
}
