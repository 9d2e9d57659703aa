import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Figures } from '../ledger/types';

type Bar = 'done' | 'open' | 'overdue';

/**
 * Measures done / open on time / overdue as three bars drawn with plain CSS (no chart library in
 * the first bundle); each bar is a button that drills into the ledger rows behind it.
 */
export function StatusBars({ figures, onPick }: { figures: Figures; onPick: (what: Bar) => void }) {
  const { t } = useTranslation();
  const open = Math.max(0, figures.measures - figures.doneMeasures - figures.overdue);
  const bars: { key: Bar; label: string; value: number; color: string }[] = [
    { key: 'done', label: t('ledger.figures.done'), value: figures.doneMeasures, color: '#52c41a' },
    { key: 'open', label: t('ledger.figures.open'), value: open, color: '#faad14' },
    { key: 'overdue', label: t('ledger.figures.overdue'), value: figures.overdue, color: '#f5222d' },
  ];
  const max = Math.max(1, ...bars.map((b) => b.value));
  return (
    <div className="status-bars" data-testid="status-chart">
      {bars.map((b) => (
        <button
          type="button"
          key={b.key}
          className="status-bar"
          onClick={() => onPick(b.key)}
          aria-label={`${b.label} ${b.value}`}
          data-testid={`status-bar-${b.key}`}
        >
          <span className="status-bar-label">{b.label}</span>
          <span className="status-bar-track">
            <span
              className="status-bar-fill"
              style={{ width: `${(b.value / max) * 100}%`, background: b.color, minWidth: b.value ? 2 : 0 }}
            />
          </span>
          <Typography.Text className="status-bar-value">{b.value.toLocaleString()}</Typography.Text>
        </button>
      ))}
    </div>
  );
}
