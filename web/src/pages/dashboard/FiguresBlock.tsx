import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Select, Skeleton, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatYuanScaled, yuanToFen } from '../../../../domain/money';
import { api, withQuery } from '../../api/client';
import { useCan } from '../../app/auth';
import { currentLang } from '../../locales';
import { exactYuan, LightTag } from '../ledger/shared';
import type { Figures, UnitFigures } from '../ledger/types';
import { useRounds, useTermOptions } from '../rounds/shared';
import { StatusBars } from './StatusBars';

type FigureKey = 'units' | 'measures' | 'rules' | 'funds' | 'losses' | 'rate';

/**
 * 数着改 (SPEC §1, M14): the six headline figures for the caller's scope (optionally one term or
 * round), each a link to the ledger rows behind it, and the 红黄绿 light per unit.
 */
export function FiguresBlock() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [termId, setTermId] = useState<number | undefined>();
  const [roundId, setRoundId] = useState<number | undefined>();
  const canRounds = can('round.read');
  const termOptions = useTermOptions(canRounds);
  const rounds = useRounds({ termId }, canRounds);
  const scope = { termId, roundId };
  const figures = useQuery({
    queryKey: ['dashboard', 'figures', scope],
    queryFn: () => api.get<Figures>('/dashboard/figures', scope),
  });
  const units = useQuery({
    queryKey: ['dashboard', 'units', scope],
    queryFn: () => api.get<{ items: UnitFigures[] }>('/dashboard/units', scope),
    select: (d) => d.items,
  });
  const lang = currentLang();
  const f = figures.data;

  const drill = (extra: Record<string, string | number | undefined>) =>
    navigate(withQuery('/ledger', { termId, roundId, ...extra }));

  const money = (yuan: string) => formatYuanScaled(yuanToFen(yuan), lang);
  const cards: { key: FigureKey; label: string; value: string; title?: string; go: () => void }[] = f
    ? [
        {
          key: 'units',
          label: t('ledger.figures.units'),
          value: `${f.units.toLocaleString()}${t('ledger.figures.unitsSuffix')}`,
          go: () => drill({ sort: 'unit', focus: 'unit' }),
        },
        {
          key: 'measures',
          label: t('ledger.figures.measures'),
          value: `${f.measures.toLocaleString()}${t('ledger.figures.measuresSuffix')}`,
          go: () => drill({}),
        },
        {
          key: 'rules',
          label: t('ledger.figures.rules'),
          value: `${f.rulesEstablished.toLocaleString()}${t('ledger.figures.rulesSuffix')}`,
          go: () => drill({ focus: 'rules' }),
        },
        {
          key: 'funds',
          label: t('ledger.figures.funds'),
          value: money(f.fundsReturned),
          title: exactYuan(f.fundsReturned),
          go: () => drill({ focus: 'funds' }),
        },
        {
          key: 'losses',
          label: t('ledger.figures.losses'),
          value: money(f.lossesRecovered),
          title: exactYuan(f.lossesRecovered),
          go: () => drill({ focus: 'losses' }),
        },
        {
          key: 'rate',
          label: t('ledger.figures.rate'),
          value: f.rectificationRate === null ? '—' : `${f.rectificationRate.toFixed(1)}%`,
          go: () => drill({ focus: 'status', sort: 'status' }),
        },
      ]
    : [];

  return (
    <Card
      title={t('ledger.figures.title')}
      data-testid="figures-block"
      extra={
        canRounds && (
          <Space wrap>
            <Select
              allowClear
              size="small"
              placeholder={t('ledger.figures.allTerms')}
              aria-label={t('ledger.sheet.term')}
              value={termId}
              onChange={(v) => {
                setTermId(v);
                setRoundId(undefined);
              }}
              options={termOptions}
              style={{ minWidth: 140 }}
              popupMatchSelectWidth={false}
            />
            <Select
              allowClear
              size="small"
              placeholder={t('ledger.figures.allRounds')}
              aria-label={t('ledger.sheet.round')}
              value={roundId}
              onChange={setRoundId}
              options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
              style={{ minWidth: 160 }}
              popupMatchSelectWidth={false}
            />
          </Space>
        )
      }
    >
      {!f ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Row gutter={[12, 12]}>
          {cards.map((c) => (
            <Col key={c.key} xs={12} sm={8} xl={4}>
              <Card
                size="small"
                hoverable
                className="figure-card"
                role="link"
                tabIndex={0}
                title={undefined}
                aria-label={`${c.label} ${c.value}：${t('ledger.figures.drill')}`}
                onClick={c.go}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    c.go();
                  }
                }}
                data-testid={`figure-${c.key}`}
              >
                <div className="figure-label">{c.label}</div>
                <div
                  className={c.value.length > 9 ? 'figure-value figure-value-long' : 'figure-value'}
                  title={c.title}
                  data-testid={`figure-${c.key}-value`}
                >
                  {c.value}
                </div>
                {c.key === 'rate' && f.problemRectificationRate !== null && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('ledger.figures.problemRate', { rate: `${f.problemRectificationRate.toFixed(1)}%` })}
                  </Typography.Text>
                )}
                {c.key === 'rate' && f.closureRate !== null && (
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="figure-closure-rate">
                      {t('ledger.figures.closureRate', {
                        rate: `${f.closureRate.toFixed(1)}%`,
                        count: f.closedMeasures.toLocaleString(),
                      })}
                    </Typography.Text>
                  </div>
                )}
                {c.key === 'measures' && f.overdue > 0 && (
                  <Typography.Text type="danger" style={{ fontSize: 12 }}>
                    {t('ledger.figures.overdueCount', { count: f.overdue })}
                  </Typography.Text>
                )}
              </Card>
            </Col>
          ))}
        </Row>
      )}
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={9}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('ledger.figures.byStatus')}
          </Typography.Title>
          {f && (
            <StatusBars
              figures={f}
              onPick={(what) =>
                drill(
                  what === 'overdue'
                    ? { overdue: 'true' }
                    : what === 'done'
                      ? { focus: 'status', sort: 'status' }
                      : { overdue: 'false' },
                )
              }
            />
          )}
        </Col>
        <Col xs={24} lg={15}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('ledger.unitsTable.title')}
          </Typography.Title>
          <Table<UnitFigures>
            rowKey="unitOrgId"
            size="small"
            loading={units.isLoading}
            dataSource={units.data ?? []}
            pagination={
              (units.data?.length ?? 0) > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false
            }
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('ledger.unitsTable.empty') }}
            data-testid="units-table"
            columns={[
              {
                title: t('ledger.unitsTable.unit'),
                dataIndex: 'unitName',
                render: (v: string, u) => (
                  <Typography.Link onClick={() => drill({ unitOrgId: u.unitOrgId })}>{v}</Typography.Link>
                ),
              },
              {
                title: t('ledger.unitsTable.light'),
                dataIndex: 'light',
                width: 90,
                sorter: (a, b) => LIGHT_ORDER[a.light] - LIGHT_ORDER[b.light],
                defaultSortOrder: 'ascend',
                render: (_: unknown, u) => <LightTag light={u.light} />,
              },
              {
                title: t('ledger.unitsTable.rate'),
                dataIndex: 'rectificationRate',
                width: 80,
                align: 'right',
                sorter: (a, b) => (a.rectificationRate ?? -1) - (b.rectificationRate ?? -1),
                render: (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`),
              },
              {
                title: t('ledger.unitsTable.measures'),
                key: 'measures',
                width: 90,
                align: 'right',
                render: (_: unknown, u) => `${u.doneMeasures}/${u.measures}`,
              },
              {
                title: t('ledger.unitsTable.overdue'),
                dataIndex: 'overdue',
                width: 60,
                align: 'right',
                render: (v: number, u) =>
                  v ? (
                    <Typography.Link type="danger" onClick={() => drill({ unitOrgId: u.unitOrgId, overdue: 'true' })}>
                      {v}
                    </Typography.Link>
                  ) : (
                    0
                  ),
              },
              { title: t('ledger.unitsTable.dueSoon'), dataIndex: 'dueSoon', width: 60, align: 'right' },
              { title: t('ledger.unitsTable.stalled'), dataIndex: 'stalled', width: 60, align: 'right' },
            ]}
          />
        </Col>
      </Row>
    </Card>
  );
}

const LIGHT_ORDER = { red: 0, yellow: 1, green: 2 } as const;
