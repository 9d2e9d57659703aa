import { Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatYuanScaled, yuanToFen } from '../../../../domain/money';
import { currentLang } from '../../locales';
import { exactYuan } from '../ledger/shared';
import { type BoardData, type Drill, pct } from './board';
import { DrillNumber } from './DrillLink';

export type HeadlineKey = 'units' | 'problems' | 'measures' | 'rate' | 'overdue' | 'rules' | 'funds' | 'losses';

/** The headline figures of SPEC §1 (the ledger's own definitions), each a link to its ledger rows. */
export function Headline({ data, dark = false }: { data: BoardData; dark?: boolean }) {
  const { t } = useTranslation();
  const f = data.figures;
  const money = (yuan: string) => formatYuanScaled(yuanToFen(yuan), currentLang());
  const cards: {
    key: HeadlineKey;
    label: string;
    value: string;
    title?: string;
    sub?: string;
    drill: Drill;
    danger?: boolean;
  }[] = [
    {
      key: 'units',
      label: t('board.figures.units'),
      value: `${f.units.toLocaleString()}${t('board.figures.unitsSuffix')}`,
      drill: data.drill.units,
    },
    {
      key: 'problems',
      label: t('board.figures.problems'),
      value: `${f.problems.toLocaleString()}${t('board.figures.problemsSuffix')}`,
      sub: t('board.figures.problemRate', { rate: pct(f.problemRectificationRate) }),
      drill: data.drill.problems,
    },
    {
      key: 'measures',
      label: t('board.figures.measures'),
      value: `${f.measures.toLocaleString()}${t('board.figures.measuresSuffix')}`,
      sub: `${t('board.figures.done')} ${f.doneMeasures.toLocaleString()}`,
      drill: data.drill.measures,
    },
    { key: 'rate', label: t('board.figures.rate'), value: pct(f.rectificationRate), drill: data.drill.doneMeasures },
    {
      key: 'overdue',
      label: t('board.figures.overdue'),
      value: f.overdue.toLocaleString(),
      drill: data.drill.overdue,
      danger: f.overdue > 0,
    },
    {
      key: 'rules',
      label: t('board.figures.rules'),
      value: `${f.rulesEstablished.toLocaleString()}${t('board.figures.rulesSuffix')}`,
      drill: data.drill.rulesEstablished,
    },
    {
      key: 'funds',
      label: t('board.figures.funds'),
      value: money(f.fundsReturned),
      title: exactYuan(f.fundsReturned),
      drill: data.drill.fundsReturned,
    },
    {
      key: 'losses',
      label: t('board.figures.losses'),
      value: money(f.lossesRecovered),
      title: exactYuan(f.lossesRecovered),
      drill: data.drill.lossesRecovered,
    },
  ];
  return (
    <Row gutter={[12, 12]} className={dark ? 'board-headline board-headline-dark' : 'board-headline'}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} sm={8} md={6} xl={3}>
          <DrillNumber
            drill={c.drill}
            label={`${c.label} ${c.value}`}
            className="board-figure"
            testId={`board-figure-${c.key}`}
          >
            <span className="board-figure-label">{c.label}</span>
            <span
              className={`board-figure-value${c.value.length > 9 ? ' board-figure-value-long' : ''}${c.danger ? ' board-danger' : ''}`}
              title={c.title}
              data-testid={`board-figure-${c.key}-value`}
            >
              {c.value}
            </span>
            {c.sub && <span className="board-figure-sub">{c.sub}</span>}
          </DrillNumber>
        </Col>
      ))}
    </Row>
  );
}
