import { FullscreenOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Row, Segmented, Select, Skeleton, Space, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { Light } from '../../../../domain/rectification';
import { api, withQuery } from '../../api/client';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { categoryOptions, LightTag, useCategories } from '../ledger/shared';
import type { UnitFigures } from '../ledger/types';
import { useRounds, useTermOptions } from '../rounds/shared';
import { type BoardData, type BoardFilter, filterFromParams, filterToParams, pct, useBoard } from './board';
import { CategoryChart, RankingChart, StatusChart, TrendChart } from './charts';
import { DrillNumber, DrillProvider, useDrill } from './DrillLink';
import { Headline } from './Headline';
import './board.css';

/** The units the caller sees in the selected term/round, for the unit filter (the ledger's list). */
export function useUnitOptions(filter: BoardFilter) {
  const q = { termId: filter.termId, roundId: filter.roundId };
  return useQuery({
    queryKey: ['dashboard', 'units', q],
    queryFn: () => api.get<{ items: UnitFigures[] }>('/dashboard/units', q),
    select: (d) => d.items.map((u) => ({ value: u.unitOrgId, label: u.unitName })),
  });
}

/**
 * 数着改 (SPEC M14): filters (term, round, unit, category), the headline figures, charts by status,
 * category, unit ranking and trend, and the ranking with its 红黄绿 lights. Every number and bar opens
 * the ledger sheet on the rows behind it. The filter lives in the address, so the wall display
 * (/screen) opens on the same selection.
 */
export default function BoardPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => filterFromParams(params), [params]);
  const board = useBoard(filter);
  const categories = useCategories();
  const canRounds = can('round.read');
  const termOptions = useTermOptions(canRounds);
  const rounds = useRounds({ termId: filter.termId }, canRounds);
  const unitOptions = useUnitOptions(filter);
  const names = useMemo(() => new Map((unitOptions.data ?? []).map((o) => [o.value, o.label])), [unitOptions.data]);

  const set = (patch: Partial<BoardFilter>) => setParams(filterToParams({ ...filter, ...patch }), { replace: true });
  const data = board.data;

  return (
    <DrillProvider categories={categories.data} unitName={(id) => names.get(id)}>
      <PageHeader
        title={t('menu.board')}
        intro={t('board.intro')}
        extra={
          <Button
            icon={<FullscreenOutlined />}
            data-testid="open-screen"
            onClick={() => window.open(withQuery('/screen', filterToParams(filter)), '_blank', 'noopener')}
          >
            {t('board.openScreen')}
          </Button>
        }
      />
      <Space wrap style={{ marginBottom: 16 }} data-testid="board-filters">
        {canRounds && (
          <Select
            allowClear
            placeholder={t('board.allTerms')}
            aria-label={t('board.term')}
            value={filter.termId}
            onChange={(v) => set({ termId: v, roundId: undefined })}
            options={termOptions}
            style={{ minWidth: 150 }}
            popupMatchSelectWidth={false}
          />
        )}
        {canRounds && (
          <Select
            allowClear
            placeholder={t('board.allRounds')}
            aria-label={t('board.round')}
            value={filter.roundId}
            onChange={(v) => set({ roundId: v })}
            options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
            style={{ minWidth: 170 }}
            popupMatchSelectWidth={false}
          />
        )}
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('board.allUnits')}
          aria-label={t('board.unit')}
          value={filter.unitOrgId}
          onChange={(v) => set({ unitOrgId: v })}
          options={unitOptions.data ?? []}
          style={{ minWidth: 190 }}
          popupMatchSelectWidth={false}
        />
        <Select
          allowClear
          placeholder={t('board.allCategories')}
          aria-label={t('board.category')}
          value={filter.categoryCode}
          onChange={(v) => set({ categoryCode: v })}
          options={categoryOptions(categories.data)}
          style={{ minWidth: 170 }}
          popupMatchSelectWidth={false}
        />
      </Space>
      {!data ? <Skeleton active paragraph={{ rows: 8 }} /> : <BoardBody data={data} />}
    </DrillProvider>
  );
}

function BoardBody({ data }: { data: BoardData }) {
  const { t } = useTranslation();
  const drill = useDrill();
  const categories = useCategories();
  const [bottom, setBottom] = useState(false);
  const empty = data.figures.measures === 0;
  const noData = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('board.charts.noData')} />;
  return (
    <div data-testid="board">
      <Headline data={data} />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('board.charts.byStatus')}>
            {empty ? noData : <StatusChart data={data} onDrill={drill} />}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('board.charts.byCategory')}>
            {empty ? noData : <CategoryChart data={data} categories={categories.data} onDrill={drill} />}
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('board.charts.trend')}>
            {data.trend.length ? <TrendChart data={data} onDrill={drill} /> : noData}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card
            size="small"
            title={t('board.charts.ranking')}
            extra={
              data.ranking.length > 15 && (
                <Segmented
                  size="small"
                  value={bottom ? 'bottom' : 'top'}
                  onChange={(v) => setBottom(v === 'bottom')}
                  options={[
                    { value: 'top', label: t('board.ranking.top', { n: 15 }) },
                    { value: 'bottom', label: t('board.ranking.bottom', { n: 15 }) },
                  ]}
                />
              )
            }
          >
            {data.ranking.length ? <RankingChart data={data} onDrill={drill} bottom={bottom} /> : noData}
          </Card>
        </Col>
        <Col span={24}>
          <RankingCard data={data} />
        </Col>
      </Row>
    </div>
  );
}

/** The ranking with its lights; the light filter shows e.g. only the red units. */
function RankingCard({ data }: { data: BoardData }) {
  const { t } = useTranslation();
  const [light, setLight] = useState<Light | 'all'>('all');
  type Row = BoardData['ranking'][number];
  const rows = light === 'all' ? data.ranking : data.ranking.filter((u) => u.light === light);
  return (
    <Card
      size="small"
      title={t('board.ranking.title')}
      extra={
        <Segmented
          size="small"
          data-testid="light-filter"
          value={light}
          onChange={(v) => setLight(v as Light | 'all')}
          options={[
            { value: 'all', label: t('board.ranking.allLights') },
            ...(['red', 'yellow', 'green'] as const).map((l) => ({
              value: l,
              label: `${t(`ledger.light.${l}`)} ${data.lights[l]}`,
            })),
          ]}
        />
      }
    >
      <Table<Row>
        rowKey="unitOrgId"
        size="small"
        dataSource={rows}
        pagination={rows.length > 15 ? { pageSize: 15, size: 'small', showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('board.ranking.empty') }}
        data-testid="ranking-table"
        onRow={(u) => ({ 'data-testid': `ranking-row-${u.light}`, 'data-unit': u.unitName }) as never}
        columns={[
          { title: t('board.ranking.rank'), dataIndex: 'rank', width: 60, align: 'right' },
          {
            title: t('board.ranking.unit'),
            dataIndex: 'unitName',
            render: (v: string, u) => (
              <DrillNumber drill={u.drill.measures} label={v}>
                {v}
              </DrillNumber>
            ),
          },
          {
            title: t('board.ranking.light'),
            dataIndex: 'light',
            width: 100,
            render: (_: unknown, u) => (
              <DrillNumber
                drill={u.light === 'red' ? u.drill.overdue : u.drill.measures}
                label={`${u.unitName} ${t(`ledger.light.${u.light}`)}`}
                testId={`light-${u.unitOrgId}`}
              >
                <LightTag light={u.light} />
              </DrillNumber>
            ),
          },
          {
            title: t('board.ranking.rate'),
            dataIndex: 'rectificationRate',
            width: 90,
            align: 'right',
            render: (v: number | null, u) => (
              <DrillNumber drill={u.drill.doneMeasures} label={`${u.unitName} ${pct(v)}`}>
                {pct(v)}
              </DrillNumber>
            ),
          },
          {
            title: t('board.ranking.measures'),
            key: 'measures',
            width: 110,
            align: 'right',
            render: (_: unknown, u) => (
              <>
                <DrillNumber drill={u.drill.doneMeasures} label={`${u.unitName} ${u.doneMeasures}`}>
                  {u.doneMeasures}
                </DrillNumber>
                {' / '}
                <DrillNumber drill={u.drill.measures} label={`${u.unitName} ${u.measures}`}>
                  {u.measures}
                </DrillNumber>
              </>
            ),
          },
          {
            title: t('board.ranking.overdue'),
            dataIndex: 'overdue',
            width: 70,
            align: 'right',
            render: (v: number, u) =>
              v ? (
                <DrillNumber
                  drill={u.drill.overdue}
                  label={`${u.unitName} ${t('board.ranking.overdue')} ${v}`}
                  className="board-drill board-danger"
                >
                  {v}
                </DrillNumber>
              ) : (
                0
              ),
          },
          { title: t('board.ranking.dueSoon'), dataIndex: 'dueSoon', width: 70, align: 'right' },
          { title: t('board.ranking.stalled'), dataIndex: 'stalled', width: 70, align: 'right' },
        ]}
      />
    </Card>
  );
}
