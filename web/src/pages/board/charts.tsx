import type { EChartsOption } from 'echarts';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import type { MeasureStatus } from '../../../../domain/rectification';
import type { DictEntry } from '../../api/types';
import { categoryName } from '../ledger/shared';
import type { BoardData, Drill } from './board';

// Only the chart types drawn here: keeps the lazy board chunk small.
echarts.use([BarChart, LineChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export interface ChartTheme {
  dark?: boolean;
  height?: number;
}

const STATUS_COLOR: Record<MeasureStatus, string> = {
  not_started: '#bfbfbf',
  in_progress: '#1677ff',
  completed: '#52c41a',
  closure_requested: '#13c2c2',
  closed: '#237804',
};
const RED = '#f5222d';
const LIGHT_COLOR = { red: '#f5222d', yellow: '#faad14', green: '#52c41a' } as const;

function base(theme: ChartTheme): EChartsOption {
  const text = theme.dark ? '#d9e4f5' : '#595959';
  const line = theme.dark ? '#2b3b55' : '#e8e8e8';
  return {
    backgroundColor: 'transparent',
    textStyle: { color: text, fontSize: theme.dark ? 16 : 12 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { textStyle: { color: text, fontSize: theme.dark ? 16 : 12 }, top: 0 },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      axisLabel: { color: text },
      axisLine: { lineStyle: { color: line } },
      splitLine: { lineStyle: { color: line } },
    },
    yAxis: {
      axisLabel: { color: text },
      axisLine: { lineStyle: { color: line } },
      splitLine: { lineStyle: { color: line } },
    },
  };
}

function Chart({
  option,
  height,
  testId,
  label,
  onPick,
}: {
  option: EChartsOption;
  height: number;
  testId: string;
  label: string;
  onPick: (p: { dataIndex: number; seriesIndex: number }) => void;
}) {
  return (
    <div data-testid={testId} role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={option}
        notMerge
        style={{ height, width: '100%', cursor: 'pointer' }}
        onEvents={{ click: (p: { dataIndex: number; seriesIndex: number }) => onPick(p) }}
      />
    </div>
  );
}

/** Measures per status, one bar each; a bar opens its rows. */
export function StatusChart({
  data,
  onDrill,
  theme = {},
}: {
  data: BoardData;
  onDrill: (d: Drill) => void;
  theme?: ChartTheme;
}) {
  const { t } = useTranslation();
  const b = base(theme);
  const option: EChartsOption = {
    ...b,
    legend: undefined,
    grid: { ...(b.grid as object), top: 12 },
    xAxis: {
      ...(b.xAxis as object),
      type: 'category',
      data: data.byStatus.map((s) => t(`ledger.measureStatus.${s.status}`)),
    },
    yAxis: { ...(b.yAxis as object), type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: t('board.figures.measures'),
        data: data.byStatus.map((s) => ({ value: s.count, itemStyle: { color: STATUS_COLOR[s.status] } })),
        label: { show: true, position: 'top', color: theme.dark ? '#fff' : '#262626' },
        barMaxWidth: 48,
      },
    ],
  };
  return (
    <Chart
      option={option}
      height={theme.height ?? 260}
      testId="chart-status"
      label={t('board.charts.byStatus')}
      onPick={(p) => {
        const s = data.byStatus[p.dataIndex];
        if (s) onDrill(s.drill);
      }}
    />
  );
}

/** Per category: done, open on time, overdue, stacked. */
export function CategoryChart({
  data,
  categories,
  onDrill,
  theme = {},
}: {
  data: BoardData;
  categories: DictEntry[] | undefined;
  onDrill: (d: Drill) => void;
  theme?: ChartTheme;
}) {
  const { t } = useTranslation();
  const b = base(theme);
  const rows = data.byCategory;
  const option: EChartsOption = {
    ...b,
    // No entry animation: ECharts grows each stacked segment from its own base at once, so while it runs
    // (and again on every notMerge re-set: dictionary names arriving, the wall display's refetch) the green
    // part is short and the yellow/red parts float at their final offsets with a gap between.
    animation: false,
    xAxis: { ...(b.xAxis as object), type: 'value', minInterval: 1 },
    yAxis: {
      ...(b.yAxis as object),
      type: 'category',
      inverse: true,
      data: rows.map((c) => categoryName(categories, c.categoryCode)),
    },
    series: [
      {
        type: 'bar',
        stack: 'm',
        name: t('board.charts.done'),
        color: '#52c41a',
        data: rows.map((c) => c.doneMeasures),
      },
      {
        type: 'bar',
        stack: 'm',
        name: t('board.charts.open'),
        color: '#faad14',
        data: rows.map((c) => Math.max(0, c.measures - c.doneMeasures - c.overdue)),
      },
      { type: 'bar', stack: 'm', name: t('board.charts.overdue'), color: RED, data: rows.map((c) => c.overdue) },
    ],
  };
  return (
    <Chart
      option={option}
      height={theme.height ?? Math.max(200, 60 + rows.length * 36)}
      testId="chart-category"
      label={t('board.charts.byCategory')}
      onPick={(p) => {
        const c = rows[p.dataIndex];
        if (!c) return;
        onDrill(p.seriesIndex === 0 ? c.drill.doneMeasures : p.seriesIndex === 2 ? c.drill.overdue : c.drill.measures);
      }}
    />
  );
}

/** Units by rectification rate, coloured by their light; a bar opens the unit's overdue (red) or all rows. */
export function RankingChart({
  data,
  onDrill,
  theme = {},
  limit = 15,
  bottom = false,
}: {
  data: BoardData;
  onDrill: (d: Drill) => void;
  theme?: ChartTheme;
  limit?: number;
  /** The last `limit` units (those that most need attention) instead of the first. */
  bottom?: boolean;
}) {
  const { t } = useTranslation();
  const b = base(theme);
  const rows = bottom ? data.ranking.slice(-limit) : data.ranking.slice(0, limit);
  const option: EChartsOption = {
    ...b,
    legend: undefined,
    grid: { ...(b.grid as object), top: 8, right: 64 },
    xAxis: {
      ...(b.xAxis as object),
      type: 'value',
      max: 100,
      axisLabel: { color: theme.dark ? '#d9e4f5' : '#595959', formatter: '{value}%' },
    },
    yAxis: {
      ...(b.yAxis as object),
      type: 'category',
      inverse: true,
      data: rows.map((u) => `${u.rank}. ${u.unitName}`),
    },
    series: [
      {
        type: 'bar',
        name: t('board.charts.rate'),
        data: rows.map((u) => ({ value: u.rectificationRate ?? 0, itemStyle: { color: LIGHT_COLOR[u.light] } })),
        label: { show: true, position: 'right', formatter: '{c}%', color: theme.dark ? '#fff' : '#262626' },
        barMaxWidth: 22,
      },
    ],
  };
  return (
    <Chart
      option={option}
      height={theme.height ?? Math.max(200, 40 + rows.length * 30)}
      testId="chart-ranking"
      label={t('board.charts.ranking')}
      onPick={(p) => {
        const u = rows[p.dataIndex];
        if (u) onDrill(u.light === 'red' ? u.drill.overdue : u.drill.measures);
      }}
    />
  );
}

/** Completions and deadlines per month (bars) and the cumulative rectification rate (line). */
export function TrendChart({
  data,
  onDrill,
  theme = {},
}: {
  data: BoardData;
  onDrill: (d: Drill) => void;
  theme?: ChartTheme;
}) {
  const { t } = useTranslation();
  const b = base(theme);
  const text = theme.dark ? '#d9e4f5' : '#595959';
  const option: EChartsOption = {
    ...b,
    xAxis: { ...(b.xAxis as object), type: 'category', data: data.trend.map((p) => p.month) },
    yAxis: [
      { ...(b.yAxis as object), type: 'value', minInterval: 1 },
      { type: 'value', max: 100, axisLabel: { color: text, formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: t('board.charts.completed'), color: '#52c41a', data: data.trend.map((p) => p.completed) },
      { type: 'bar', name: t('board.charts.due'), color: '#1677ff', data: data.trend.map((p) => p.due) },
      {
        type: 'line',
        name: t('board.charts.cumulativeRate'),
        yAxisIndex: 1,
        color: '#cf1322',
        smooth: true,
        data: data.trend.map((p) => p.cumulativeRate),
      },
    ],
  };
  return (
    <Chart
      option={option}
      height={theme.height ?? 280}
      testId="chart-trend"
      label={t('board.charts.trend')}
      onPick={(p) => {
        const point = data.trend[p.dataIndex];
        if (point) onDrill(p.seriesIndex === 1 ? point.drill.due : point.drill.completed);
      }}
    />
  );
}
