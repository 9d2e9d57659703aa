import { TableOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Progress, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../api/client';
import { categoryName, useCategories } from '../ledger/shared';
import type { ProblemSource, ProblemSummary, Severity } from '../ledger/types';
import type { RoundUnitDetail } from './types';

/** 问题清单 + 责任清单 of one round-unit; the measures are in the ledger sheet. */
export function ProblemsPanel({ ru }: { ru: RoundUnitDetail }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const categories = useCategories();
  const problems = useQuery({
    queryKey: ['problems', ru.id],
    queryFn: () => api.get<{ items: ProblemSummary[] }>(`/round-units/${ru.id}/problems`),
    select: (d) => d.items,
  });

  return (
    <div>
      <div className="toolbar">
        <Typography.Text type="secondary">{t('common.total', { count: problems.data?.length ?? 0 })}</Typography.Text>
        <div style={{ flex: 1 }} />
        <Button icon={<TableOutlined />} onClick={() => navigate(`/ledger?roundUnitId=${ru.id}`)} className="no-print">
          {t('ledger.ru.viewLedger')}
        </Button>
      </div>
      <Table<ProblemSummary>
        rowKey="id"
        size="small"
        loading={problems.isLoading}
        dataSource={problems.data ?? []}
        pagination={(problems.data?.length ?? 0) > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 1100 }}
        data-testid="problems-table"
        locale={{ emptyText: <Empty description={t('ledger.problems.empty')} /> }}
        columns={[
          {
            title: t('ledger.problems.number'),
            dataIndex: 'number',
            width: 120,
            render: (v: string) => <span className="problem-number">{v}</span>,
          },
          {
            title: t('ledger.problems.category'),
            dataIndex: 'categoryCode',
            width: 150,
            render: (v: string) => <Tag style={{ whiteSpace: 'normal' }}>{categoryName(categories.data, v)}</Tag>,
          },
          {
            title: t('ledger.problems.description'),
            dataIndex: 'description',
            minWidth: 280,
            render: (v: string) => (
              <Typography.Paragraph style={{ margin: 0 }} ellipsis={{ rows: 3, expandable: true }}>
                {v}
              </Typography.Paragraph>
            ),
          },
          {
            title: t('ledger.problems.severity'),
            dataIndex: 'severity',
            width: 80,
            render: (v: Severity) => (
              <Tag color={v === 'high' ? 'red' : v === 'medium' ? 'orange' : undefined}>
                {t(`ledger.severity.${v}`)}
              </Tag>
            ),
          },
          {
            title: t('ledger.problems.source'),
            dataIndex: 'source',
            width: 100,
            render: (v: ProblemSource) => t(`ledger.source.${v}`),
          },
          {
            title: t('ledger.problems.responsible'),
            key: 'resp',
            width: 170,
            render: (_: unknown, p) => {
              const first = p.responsibles.filter((r) => r.duty === 'first').map((r) => r.name);
              const shared = p.responsibles.filter((r) => r.duty === 'shared').map((r) => r.name);
              return (
                <Space orientation="vertical" size={0}>
                  {p.responsibleLeader && (
                    <span>
                      {t('ledger.problems.leader')}：{p.responsibleLeader}
                    </span>
                  )}
                  {first.length > 0 && (
                    <span>
                      {t('ledger.duty.first')}：{first.join('、')}
                    </span>
                  )}
                  {shared.length > 0 && (
                    <span>
                      {t('ledger.duty.shared')}：{shared.join('、')}
                    </span>
                  )}
                  {!p.responsibleLeader && !first.length && !shared.length && '—'}
                </Space>
              );
            },
          },
          {
            title: t('ledger.problems.measures'),
            key: 'measures',
            width: 150,
            render: (_: unknown, p) =>
              p.measureCount ? (
                <div>
                  <Progress
                    size="small"
                    percent={Math.round((p.doneCount / p.measureCount) * 100)}
                    status={p.rectified ? 'success' : 'normal'}
                    showInfo={false}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('ledger.problems.measuresDone', { done: p.doneCount, total: p.measureCount })}
                  </Typography.Text>
                </div>
              ) : (
                '—'
              ),
          },
        ]}
      />
    </div>
  );
}
