import { CloseOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Button, Col, ConfigProvider, Row, Spin, theme } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { formatTime } from '../../lib/time';
import { useCategories } from '../ledger/shared';
import { filterFromParams, filterToParams, useBoard } from './board';
import { CategoryChart, RankingChart, StatusChart, TrendChart } from './charts';
import { DrillProvider, useDrill } from './DrillLink';
import { Headline } from './Headline';
import './board.css';

const REFRESH_SECONDS = 60;
const LIGHT_COLOR = { red: '#f5222d', yellow: '#faad14', green: '#52c41a' } as const;

/**
 * 大屏: the full-screen view for the meeting-room display — dark, large figures, the same charts,
 * refreshed every minute. Opened from the board with its filter; clicks open the ledger in a new
 * window so the display stays up.
 */
export default function ScreenPage() {
  const [params] = useSearchParams();
  const filter = useMemo(() => filterFromParams(params), [params]);
  const categories = useCategories();
  const board = useBoard(filter, REFRESH_SECONDS * 1000);
  const names = useMemo(() => new Map((board.data?.ranking ?? []).map((u) => [u.unitOrgId, u.unitName])), [board.data]);
  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm }}>
      <DrillProvider categories={categories.data} unitName={(id) => names.get(id)} newWindow>
        <ScreenBody filterQuery={filterToParams(filter)} board={board} />
      </DrillProvider>
    </ConfigProvider>
  );
}

function ScreenBody({
  board,
  filterQuery,
}: {
  board: ReturnType<typeof useBoard>;
  filterQuery: Record<string, string>;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const drill = useDrill();
  const categories = useCategories();
  const data = board.data;
  const dark = { dark: true };
  return (
    <div className="screen" data-testid="screen">
      <div className="screen-head">
        <h1>{t('board.screen.title')}</h1>
        <div className="screen-meta">
          {data && (
            <span className="screen-lights" data-testid="screen-lights">
              {(['red', 'yellow', 'green'] as const).map((l) => (
                <span key={l} className="screen-light">
                  <i style={{ background: LIGHT_COLOR[l] }} aria-hidden />
                  {t(`ledger.light.${l}`)} {data.lights[l]}
                </span>
              ))}
            </span>
          )}
          <span data-testid="screen-updated">
            {board.dataUpdatedAt ? t('board.screen.updated', { time: formatTime(board.dataUpdatedAt) }) : ''}
          </span>
          <span>{t('board.screen.refresh', { seconds: REFRESH_SECONDS })}</span>
          <Button
            icon={<FullscreenOutlined />}
            onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}
          >
            {t('board.screen.fullscreen')}
          </Button>
          <Button icon={<CloseOutlined />} onClick={() => navigate(`/board?${new URLSearchParams(filterQuery)}`)}>
            {t('board.screen.exit')}
          </Button>
        </div>
      </div>
      {!data ? (
        <div style={{ textAlign: 'center', padding: 120 }}>
          <Spin size="large" />
        </div>
      ) : (
        <>
          <Headline data={data} dark />
          <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
            <Col xs={24} xl={8}>
              <div className="screen-panel">
                <h2>{t('board.charts.byStatus')}</h2>
                <StatusChart data={data} onDrill={drill} theme={{ ...dark, height: 300 }} />
              </div>
            </Col>
            <Col xs={24} xl={8}>
              <div className="screen-panel">
                <h2>{t('board.charts.trend')}</h2>
                <TrendChart data={data} onDrill={drill} theme={{ ...dark, height: 300 }} />
              </div>
            </Col>
            <Col xs={24} xl={8}>
              <div className="screen-panel">
                <h2>{t('board.charts.byCategory')}</h2>
                <CategoryChart
                  data={data}
                  categories={categories.data}
                  onDrill={drill}
                  theme={{ ...dark, height: 300 }}
                />
              </div>
            </Col>
            <Col xs={24} xl={12}>
              <div className="screen-panel">
                <h2>
                  {t('board.charts.ranking')} · {t('board.ranking.top', { n: 10 })}
                </h2>
                <RankingChart data={data} onDrill={drill} theme={{ ...dark, height: 330 }} limit={10} />
              </div>
            </Col>
            <Col xs={24} xl={12}>
              <div className="screen-panel">
                <h2>
                  {t('board.charts.ranking')} · {t('board.ranking.bottom', { n: 10 })}
                </h2>
                <RankingChart bottom data={data} onDrill={drill} theme={{ ...dark, height: 330 }} limit={10} />
              </div>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
