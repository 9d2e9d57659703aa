import { useQuery } from '@tanstack/react-query';
import { Button, Empty, List, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import type { WorkQueueEntry, WorkQueueKind, WorkQueuePage } from './types';

const KINDS: WorkQueueKind[] = ['problem', 'measure', 'action', 'dispatch_item', 'task'];
const KNOWN_STATUSES = ['open', 'reported', 'returned', 'responded', 'pending', 'answered', 'no_measures'] as const;
type KnownStatus = (typeof KNOWN_STATUSES)[number];

/** Where an entry is worked on. */
function linkOf(e: WorkQueueEntry): string {
  switch (e.kind) {
    case 'problem':
    case 'measure':
      return `/ledger?unitOrgId=${e.unitOrgId}`;
    case 'action':
      return '/supervision?tab=actions';
    case 'dispatch_item':
      return '/supervision?tab=orders';
    case 'task':
      return '/supervision?tab=comms';
  }
}

/** The deadline as words: overdue by n days, due today, due in n days (never by colour alone). */
export function DeadlineTag({ daysLeft, deadline }: { daysLeft: number | null; deadline: string | null }) {
  const { t } = useTranslation();
  if (daysLeft === null || deadline === null) return <Tag>{t('supervision.queue.noDeadline')}</Tag>;
  if (daysLeft < 0)
    return (
      <Tag color="error" data-overdue="true">
        {t('supervision.queue.overdueBy', { n: -daysLeft })}
      </Tag>
    );
  if (daysLeft === 0) return <Tag color="warning">{t('supervision.queue.dueToday')}</Tag>;
  return (
    <Tag color={daysLeft <= 7 ? 'warning' : 'default'} title={deadline}>
      {t('supervision.queue.dueIn', { n: daysLeft })}
    </Tag>
  );
}

/**
 * 工作台: what needs the caller's attention, most urgent first (overdue, then the nearest deadline,
 * then stalled) — problems and measures routed to a supervisor by line, the responses and reports
 * waiting for its review, and what its organisation still owes. Paged by the server's keyset cursor.
 */
export function QueueTab() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<WorkQueueKind | undefined>();
  const [move, setMove] = useState<'act' | 'watch' | undefined>();
  const [pages, setPages] = useState<string[]>([]);
  const cursor = pages[pages.length - 1];
  const q = useQuery({
    queryKey: ['supervision-queue', { kind, move, cursor }],
    queryFn: () => api.get<WorkQueuePage>('/supervision-queue', { kind, move, cursor, limit: 20 }),
    placeholderData: (prev) => prev,
  });
  const reset = () => setPages([]);
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('supervision.queue.intro')}</Typography.Paragraph>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('supervision.queue.filterKind')}
          placeholder={t('supervision.queue.filterKind')}
          value={kind}
          onChange={(v) => {
            setKind(v);
            reset();
          }}
          options={KINDS.map((k) => ({ value: k, label: t(`supervision.queue.kind.${k}`) }))}
          style={{ width: 160 }}
        />
        <Select
          allowClear
          aria-label={t('supervision.queue.filterMove')}
          placeholder={t('supervision.queue.filterMove')}
          value={move}
          onChange={(v) => {
            setMove(v);
            reset();
          }}
          options={(['act', 'watch'] as const).map((m) => ({ value: m, label: t(`supervision.queue.move.${m}`) }))}
          style={{ width: 160 }}
        />
        {q.data && (
          <Typography.Text data-testid="queue-total">
            {t('supervision.queue.total', { n: q.data.total, overdue: q.data.overdue })}
          </Typography.Text>
        )}
      </div>
      <List<WorkQueueEntry>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="queue-list"
        locale={{ emptyText: <Empty description={t('supervision.queue.none')} /> }}
        renderItem={(e) => (
          <List.Item data-testid={`queue-${e.kind}-${e.id}`} data-kind={e.kind}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 260px' }}>
                <Space wrap size={4}>
                  <Tag color="blue">{t(`supervision.queue.kind.${e.kind}`)}</Tag>
                  <DeadlineTag daysLeft={e.daysLeft} deadline={e.deadline} />
                  {e.stalled && <Tag color="orange">{t('supervision.queue.stalled')}</Tag>}
                  {(KNOWN_STATUSES as readonly string[]).includes(e.status) && (
                    <Tag>{t(`supervision.queue.status.${e.status as KnownStatus}`)}</Tag>
                  )}
                  <Tag color={e.move === 'act' ? 'processing' : 'default'}>{t(`supervision.queue.move.${e.move}`)}</Tag>
                </Space>
                <div style={{ marginTop: 4, overflowWrap: 'anywhere' }}>{e.title}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[e.unitName, e.detail].filter(Boolean).join(' · ')}
                </Typography.Text>
              </div>
              <Link to={linkOf(e)}>{t('supervision.queue.open')}</Link>
            </div>
          </List.Item>
        )}
      />
      {(pages.length > 0 || q.data?.nextCursor) && (
        <Space style={{ marginTop: 12 }}>
          <Button disabled={pages.length === 0} onClick={() => setPages((p) => p.slice(0, -1))}>
            {t('common.prevPage')}
          </Button>
          <Button
            disabled={!q.data?.nextCursor}
            onClick={() => setPages((p) => [...p, q.data!.nextCursor!])}
            data-testid="queue-next"
          >
            {t('common.nextPage')}
          </Button>
        </Space>
      )}
    </div>
  );
}
