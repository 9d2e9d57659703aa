import { DiffOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgressReportStatus } from '../../../../domain/progress';
import { api } from '../../api/client';
import { formatTime } from '../../lib/time';
import { FileList } from './evidence';
import { itemsOf, LateTag } from './shared';
import type { EvidenceFile, ReportItem, ReportVersion, ReportVersionRow } from './types';

interface CompareRow {
  key: string;
  label: string;
  from: ReportItem | string | null;
  to: ReportItem | string | null;
  changed: boolean;
}

const fileKey = (files: EvidenceFile[] | undefined) => (files ?? []).map((f) => f.sm3 || f.id).join(',');
function itemChanged(a: ReportItem | undefined, b: ReportItem | undefined) {
  if (!a || !b) return true;
  return a.reportedStatus !== b.reportedStatus || a.narrative !== b.narrative || fileKey(a.files) !== fileKey(b.files);
}

/** Every submitted revision of a report, and two of them side by side with the changed rows marked. */
export function VersionsPanel(props: { reportId: number; current: number; status: ProgressReportStatus }) {
  const { t } = useTranslation();
  const versions = useQuery({
    queryKey: ['report-versions', props.reportId],
    queryFn: () => api.get<unknown>(`/progress-reports/${props.reportId}/versions`),
    select: (d) =>
      itemsOf<ReportVersionRow>(d)
        .slice()
        .sort((a, b) => b.revision - a.revision),
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
              {v.preparedByName && (
                <Typography.Text type="secondary">
                  {t('progress.versions.preparedBy', { name: v.preparedByName })}
                </Typography.Text>
              )}
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

function CompareView({ reportId, from, to }: { reportId: number; from: number; to: number }) {
  const { t } = useTranslation();
  const one = (rev: number) => ({
    queryKey: ['report-version', reportId, rev],
    queryFn: () => api.get<ReportVersion>(`/progress-reports/${reportId}/versions/${rev}`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const a = useQuery(one(from));
  const b = useQuery(one(to));
  if (a.isLoading || b.isLoading) return <Typography.Text type="secondary">{t('common.loading')}</Typography.Text>;
  if (!a.data || !b.data) return <Empty />;
  const byId = (v: ReportVersion) => new Map((v.items ?? []).map((i) => [i.measureId, i]));
  const am = byId(a.data);
  const bm = byId(b.data);
  const ids = [...new Set([...am.keys(), ...bm.keys()])];
  const rows: CompareRow[] = [
    ...ids.map((id, n) => ({
      key: `m${id}`,
      label: (bm.get(id) ?? am.get(id))!.measureContent || t('progress.itemTitle', { n: n + 1 }),
      from: am.get(id) ?? null,
      to: bm.get(id) ?? null,
      changed: itemChanged(am.get(id), bm.get(id)),
    })),
    {
      key: 'summary',
      label: t('progress.summary'),
      from: a.data.summary ?? '',
      to: b.data.summary ?? '',
      changed: (a.data.summary ?? '') !== (b.data.summary ?? ''),
    },
  ];
  const cell = (v: ReportItem | string | null, changed: boolean) => {
    if (v === null) return <Typography.Text type="secondary">—</Typography.Text>;
    if (typeof v === 'string') return <div className="compare-cell">{v || '—'}</div>;
    return (
      <div className="compare-cell">
        <Tag>{t(`ledger.measureStatus.${v.reportedStatus}`)}</Tag>
        <div>{changed ? <Typography.Text>{v.narrative || '—'}</Typography.Text> : v.narrative || '—'}</div>
        <FileList files={v.files ?? []} />
      </div>
    );
  };
  const changedCount = rows.filter((r) => r.changed).length;
  return (
    <div data-testid="compare-view" style={{ marginTop: 12 }}>
      <Typography.Paragraph type="secondary">
        {t('progress.versions.changed', { count: changedCount })}
      </Typography.Paragraph>
      <Table<CompareRow>
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={rows}
        scroll={{ x: 720 }}
        rowClassName={(r) => (r.changed ? 'compare-changed' : '')}
        columns={[
          {
            title: t('progress.versions.item'),
            dataIndex: 'label',
            width: 220,
            render: (v: string, r) => (
              <Space orientation="vertical" size={2}>
                <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                  {v}
                </Typography.Paragraph>
                {r.changed && <Tag color="orange">{t('progress.versions.differs')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('progress.revision', { n: from }),
            key: 'from',
            render: (_: unknown, r) => cell(r.from, r.changed),
          },
          {
            title: t('progress.revision', { n: to }),
            key: 'to',
            render: (_: unknown, r) => cell(r.to, r.changed),
          },
        ]}
      />
    </div>
  );
}
