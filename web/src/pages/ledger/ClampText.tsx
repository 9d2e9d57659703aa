import { Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Long text cut to a few lines by CSS (not by measuring and truncating, as antd's ellipsis does),
 * so that the whole text is in the page: printing shows all of it, and "more" shows it on screen.
 */
export function ClampText({ text, lines = 4 }: { text: string; lines?: 2 | 3 | 4 }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const long = text.length > lines * 18;
  return (
    <span className="clamp-wrap">
      <span className={open || !long ? 'cell-text' : `cell-text clamp clamp-${lines}`}>{text}</span>
      {long && (
        <Typography.Link className="no-print clamp-toggle" onClick={() => setOpen(!open)} aria-expanded={open}>
          {open ? t('ledger.sheet.less') : t('ledger.sheet.more')}
        </Typography.Link>
      )}
    </span>
  );
}
