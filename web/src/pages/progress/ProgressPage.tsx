import { FileAddOutlined, FolderOpenOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, List, Select, Space, Switch, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Page } from '../../api/types';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { RoundUnitStatusTag } from '../ledger/shared';
import type { RoundUnit } from '../rounds/types';
import { LateTag, periodLabel, ReportStatusTag } from './shared';
import type { PeriodList, ProgressReport, ReportingPeriodRow } from './types';

/**
 * 整改进展 (SPEC M6): a unit's round-units with their reporting periods (create or open the report of
 * each), the reports waiting for the unit head's sign-off, and those submitted (late ones flagged).
 */
export default function ProgressPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? (can('progress.signoff') ? 'signoff' : 'periods');
  return (
    <div>
      <PageHeader title={t('progress.title')} intro={t('progress.intro')} />
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          const next = new URLSearchParams(params);
          next.set('tab', k);
          setParams(next, { replace: true });
        }}
        destroyOnHidden
        items={[
          { key: 'periods', label: t('progress.tabs.periods'), children: <PeriodsTab /> },
          {
            key: 'signoff',
            label: t('progress.tabs.signoff'),
            children: <ReportQueue status="pending_signoff" testId="signoff-queue" />,
          },
          {
            key: 'submitted',
            label: t('progress.tabs.submitted'),
            children: <ReportQueue status="submitted" testId="submitted-queue" lateFilter />,
          },
        ]}
      />
    </div>
  );
}

function PeriodsTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const units = useQuery({
    queryKey: ['round-units', 'progress'],
    queryFn: () => api.get<Page<RoundUnit>>('/round-units', { limit: 100 }),
    select: (d) => d.items.filter((ru) => ru.status !== 'awaiting_feedback'),
  });
  const list = units.data ?? [];
  const wanted = Number(params.get('ru')) || undefined;
  const ru = list.find((x) => x.id === wanted) ?? list[0];
  const periods = useQuery({
    queryKey: ['progress-periods', ru?.id],
    queryFn: () => api.get<PeriodList>(`/round-units/${ru!.id}/progress-reports`),
    enabled: !!ru,
    select: (d) => d.items,
  });
  const create = useMutation({
    mutationFn: (periodSeq: number) =>
      api.post<ProgressReport>(`/round-units/${ru!.id}/progress-reports`, { periodSeq }),
    onSuccess: (r) => {
      toast('success', t('progress.created'));
      void qc.invalidateQueries({ queryKey: ['progress-periods'] });
      navigate(`/progress/reports/${r.id}`);
    },
    onError: (e) => handleWriteError(e, () => void qc.invalidateQueries({ queryKey: ['progress-periods'] })),
  });

  if (!units.isLoading && list.length === 0) return <Empty description={t('progress.noUnits')} />;

  return (
    <div>
      <div className="toolbar">
        <Select
          aria-label={t('progress.roundUnit')}
          loading={units.isLoading}
          value={ru?.id}
          onChange={(id) => {
            const next = new URLSearchParams(params);
            next.set('ru', String(id));
            setParams(next, { replace: true });
          }}
          options={list.map((x) => ({ value: x.id, label: `${x.unitName} · ${x.roundName}` }))}
          style={{ minWidth: 240, maxWidth: '100%', flex: '1 1 240px' }}
          data-testid="progress-ru-select"
        />
        {ru && (
          <Link to={`/progress/units/${ru.id}/materials`} data-testid="materials-link">
            <Button icon={<FolderOpenOutlined />}>{t('progress.materials.open')}</Button>
          </Link>
        )}
      </div>
      {ru && (
        <Card
          size="small"
          title={
            <Space wrap size={4}>
              <span>{ru.unitName}</span>
              <RoundUnitStatusTag status={ru.status} />
            </Space>
          }
          extra={
            <Typography.Text type="secondary">
              {t('progress.deadline')}：{ru.deadline ?? '—'}
            </Typography.Text>
          }
        >
          <List<ReportingPeriodRow>
            loading={periods.isLoading}
            dataSource={periods.data ?? []}
            locale={{ emptyText: t('progress.noPeriods') }}
            data-testid="periods-list"
            renderItem={(p) => (
              <List.Item data-testid={`period-${p.seq}`}>
                <div className="period-row">
                  <div className="period-meta">
                    <Typography.Text strong>{periodLabel(t, p.seq, p.kind)}</Typography.Text>
                    <Typography.Text type="secondary">{t('progress.due', { date: p.dueDate })}</Typography.Text>
                    {p.report ? (
                      <>
                        <ReportStatusTag status={p.report.status} />
                        {p.report.revision > 1 && <span>{t('progress.revision', { n: p.report.revision })}</span>}
                        {p.report.late && <LateTag kind="late" />}
                      </>
                    ) : (
                      <Typography.Text type="secondary">{t('progress.notStarted')}</Typography.Text>
                    )}
                    {p.overdue && !p.report?.late && <LateTag kind="overdue" />}
                  </div>
                  {p.report ? (
                    <Link to={`/progress/reports/${p.report.id}`} data-testid={`period-open-${p.seq}`}>
                      <Button size="small" icon={<RightOutlined />} iconPlacement="end">
                        {t('progress.open')}
                      </Button>
                    </Link>
                  ) : (
                    can('progress.write') && (
                      <Button
                        size="small"
                        type="primary"
                        icon={<FileAddOutlined />}
                        loading={create.isPending && create.variables === p.seq}
                        onClick={() => create.mutate(p.seq)}
                        data-testid={`period-create-${p.seq}`}
                      >
                        {t('progress.create')}
                      </Button>
                    )
                  )}
                </div>
              </List.Item>
            )}
          />
        </Card>
      )}
    </div>
  );
}

/** Reports in one state across the caller's scope (待审签 for the unit head; 已报送 for supervisors). */
function ReportQueue({
  status,
  testId,
  lateFilter,
}: {
  status: 'pending_signoff' | 'submitted';
  testId: string;
  lateFilter?: boolean;
}) {
  const { t } = useTranslation();
  const [late, setLate] = useState(false);
  const [pages, setPages] = useState<(number | string)[]>([]);
  const after = pages[pages.length - 1];
  const q = useQuery({
    queryKey: ['progress-reports', status, { late, after }],
    queryFn: () =>
      api.get<{ items: ProgressReport[]; nextCursor: number | string | null }>('/progress-reports', {
        status,
        late: late ? true : undefined,
        cursor: after,
        limit: 50,
      }),
    placeholderData: (prev) => prev,
  });
  const items = q.data?.items ?? [];
  return (
    <div>
      {lateFilter && (
        <div className="toolbar">
          <Space>
            <Switch
              checked={late}
              onChange={(v) => {
                setLate(v);
                setPages([]);
              }}
              aria-label={t('progress.onlyLate')}
            />
            <span>{t('progress.onlyLate')}</span>
          </Space>
        </div>
      )}
      <List<ProgressReport>
        loading={q.isLoading}
        dataSource={items}
        bordered
        data-testid={testId}
        locale={{ emptyText: t(status === 'pending_signoff' ? 'progress.noneToSign' : 'progress.noneSubmitted') }}
        renderItem={(r) => (
          <List.Item data-testid={`report-row-${r.id}`}>
            <div className="period-row">
              <div className="period-meta">
                <Typography.Text strong>{r.unitName}</Typography.Text>
                <span>{periodLabel(t, r.periodSeq, r.periodKind)}</span>
                <ReportStatusTag status={r.status} />
                {r.late && <LateTag kind="late" />}
                <Typography.Text type="secondary">
                  {status === 'submitted'
                    ? t('progress.submittedAt', { time: formatTime(r.submittedAt) })
                    : t('progress.sentAt', { time: formatTime(r.updatedAt) })}
                </Typography.Text>
              </div>
              <Link to={`/progress/reports/${r.id}`} data-testid={`report-open-${r.id}`}>
                <Button size="small" type={status === 'pending_signoff' ? 'primary' : 'default'}>
                  {status === 'pending_signoff' ? t('progress.review') : t('progress.open')}
                </Button>
              </Link>
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
