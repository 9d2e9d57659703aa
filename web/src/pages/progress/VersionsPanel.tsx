import { DiffOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgressReportStatus } from '../../../../domain/progress';
import { api } from '../../api/client';
import { formatTime } from '../../lib/time';
import { FileLink } from './evidence';
import { LateTag } from './shared';
import type { Comparison, ReportVersion, ReportVersionRow } from './types';

/** Every submitted revision of a report, and two of them side by side with the changed rows marked. */
export function VersionsPanel(props: { reportId: number; current: number; status: ProgressReportStatus }) {
  const { t } = useTranslation();
  const versions = useQuery({
    queryKey: ['report-versions', props.reportId],
    queryFn: () => api.get<{ items: ReportVersionRow[] }>(`/progress-reports/${props.reportId}/versions`),
    select: (d) => d.items.slice().sort((a, b) => b.revision - a.revision),
  });
  const list = versions.data ?? [];
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const [comparing, setComparing] = useState(false);
  useEffect(() => {
    if (list.length >= 2 && from === undefined && to === undefined) {
      setTo(list[0]!.revision);
      setFrom(list[1]!.revision);
    }
  }, [list, from, to]);

  return (
    <Card size="small" title={t('progress.versions.title')} data-testid="versions-panel">
      <List<ReportVersionRow>
        size="small"
        loading={versions.isLoading}
        dataSource={list}
        locale={{ emptyText: t('progress.versions.none') }}
        renderItem={(v) => (
          <List.Item data-testid={`version-${v.revision}`}>
            <Space wrap size={6}>
              <Tag>{t('progress.revision', { n: v.revision })}</Tag>
              <span>{t('progress.submittedAt', { time: formatTime(v.submittedAt) })}</span>
              {v.signedByName && (
                <Typography.Text type="secondary">
                  {t('progress.versions.signedBy', { name: v.signedByName })}
                </Typography.Text>
              )}
              {v.late && <LateTag kind="late" />}
            </Space>
          </List.Item>
        )}
      />
      {list.length >= 2 && (
        <div className="toolbar" style={{ marginTop: 12 }}>
          <Select
            aria-label={t('progress.versions.from')}
            value={from}
            onChange={setFrom}
            options={list.map((v) => ({ value: v.revision, label: t('progress.revision', { n: v.revision }) }))}
            style={{ width: 120 }}
          />
          <span>→</span>
          <Select
            aria-label={t('progress.versions.to')}
            value={to}
            onChange={setTo}
            options={list.map((v) => ({ value: v.revision, label: t('progress.revision', { n: v.revision }) }))}
            style={{ width: 120 }}
          />
          <Button
            icon={<DiffOutlined />}
            onClick={() => setComparing(true)}
            disabled={from === undefined || to === undefined || from === to}
            data-testid="versions-compare"
          >
            {t('progress.versions.compare')}
          </Button>
        </div>
      )}
      {comparing && from !== undefined && to !== undefined && from !== to && (
        <CompareView reportId={props.reportId} from={from} to={to} />
      )}
    </Card>
  );
}

type Row = Comparison['items'][number] & { key: string; changed: boolean };

/** The server's comparison of two revisions: per measure the status and narrative on each side, files added and removed. */
function CompareView({ reportId, from, to }: { reportId: number; from: number; to: number }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['report-compare', reportId, from, to],
    queryFn: () => api.get<Comparison>(`/progress-reports/${reportId}/compare`, { from, to }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const a = useQuery({
    queryKey: ['report-version', reportId, from],
    queryFn: () => api.get<ReportVersion>(`/progress-reports/${reportId}/versions/${from}`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const b = useQuery({
    queryKey: ['report-version', reportId, to],
    queryFn: () => api.get<ReportVersion>(`/progress-reports/${reportId}/versions/${to}`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (q.isLoading) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  if (!q.data) return <Empty />;
  const rows: Row[] = q.data.items.map((i) => ({
    ...i,
    key: `m${i.measureId}`,
    changed:
      i.statusChanged || i.narrativeChanged || i.filesAdded.length > 0 || i.filesRemoved.length > 0 || !i.from || !i.to,
  }));
  const filesOf = (v: ReportVersion | undefined, measureId: number) =>
    v?.items.find((x) => x.measureId === measureId)?.files ?? [];
  const side = (r: Row, which: 'from' | 'to') => {
    const v = r[which];
    if (!v) return <Typography.Text type="secondary">—</Typography.Text>;
    const files = filesOf(which === 'from' ? a.data : b.data, r.measureId);
    const marked = new Set((which === 'from' ? r.filesRemoved : r.filesAdded).map((f) => f.id));
    return (
      <div className="compare-cell">
        <Tag color={r.statusChanged ? 'orange' : undefined}>{t(`ledger.measureStatus.${v.reportedStatus}`)}</Tag>
        <div>
          {r.narrativeChanged ? <Typography.Text mark>{v.narrative || '—'}</Typography.Text> : v.narrative || '—'}
        </div>
        {files.length > 0 && (
          <ul className="evidence-list">
            {files.map((f) => (
              <li key={f.id}>
                <FileLink file={f} />
                {marked.has(f.id) && (
                  <Tag color={which === 'from' ? 'red' : 'green'}>
                    {which === 'from' ? t('progress.versions.removed') : t('progress.versions.added')}
                  </Tag>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  };
  const summaryRow = (which: 'from' | 'to') => (which === 'from' ? a.data?.summary : b.data?.summary) || '—';
  const changedCount = rows.filter((r) => r.changed).length + (q.data.summaryChanged ? 1 : 0);
  return (
    <div data-testid="compare-view" style={{ marginTop: 12 }}>
      <Typography.Paragraph type="secondary">
        {t('progress.versions.changed', { count: changedCount })}
      </Typography.Paragraph>
      <Table<Row | (Row & { summary: true })>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={[
          ...rows,
          {
            key: 'summary',
            summary: true,
            changed: q.data.summaryChanged,
          } as Row & { summary: true },
        ]}
        scroll={{ x: 720 }}
        rowClassName={(r) => (r.changed ? 'compare-changed' : '')}
        columns={[
          {
            title: t('progress.versions.item'),
            key: 'item',
            width: 220,
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={2}>
                {'summary' in r ? (
                  <Typography.Text strong>{t('progress.summary')}</Typography.Text>
                ) : (
                  <>
                    <Typography.Text strong>
                      {t('progress.itemTitle', { problem: r.problemNumber, seq: r.seq })}
                    </Typography.Text>
                    <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                      {r.content}
                    </Typography.Paragraph>
                  </>
                )}
                {r.changed && <Tag color="orange">{t('progress.versions.differs')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('progress.revision', { n: from }),
            key: 'from',
            render: (_: unknown, r) =>
              'summary' in r ? <div className="compare-cell">{summaryRow('from')}</div> : side(r, 'from'),
          },
          {
            title: t('progress.revision', { n: to }),
            key: 'to',
            render: (_: unknown, r) =>
              'summary' in r ? <div className="compare-cell">{summaryRow('to')}</div> : side(r, 'to'),
          },
        ]}
      />
    </div>
  );
}
