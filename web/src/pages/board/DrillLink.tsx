import { Alert, List, Modal, Typography } from 'antd';
import { createContext, type ReactNode, useCallback, useContext, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { type LedgerDrillFilter, ledgerHref } from '../../../../domain/dashboard';
import type { DictEntry } from '../../api/types';
import { categoryName } from '../ledger/shared';
import type { Drill } from './board';

type Open = (d: Drill) => void;
const DrillContext = createContext<Open>(() => {});

/** The function every number and bar calls with its drill-down. */
export const useDrill = () => useContext(DrillContext);

/**
 * Opens the ledger sheet on the rows behind a number: straight there when one ledger filter lists
 * them, else a short list of the filters whose rows add up to it (e.g. done = 已完成 + 申请销号 + 已销号).
 * `newWindow` keeps the wall display on screen.
 */
export function DrillProvider({
  children,
  categories,
  unitName,
  newWindow = false,
}: {
  children: ReactNode;
  categories: DictEntry[] | undefined;
  unitName: (id: number) => string | undefined;
  newWindow?: boolean;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState<Drill | null>(null);
  const go = useCallback(
    (part: LedgerDrillFilter) => {
      const href = ledgerHref(part);
      if (newWindow) window.open(href, '_blank', 'noopener');
      else navigate(href);
    },
    [navigate, newWindow],
  );
  const drill = useCallback(
    (d: Drill) => {
      if (d.parts.length === 1 && d.exact) go(d.parts[0]!);
      else setOpen(d);
    },
    [go],
  );
  const describe = (p: LedgerDrillFilter) =>
    [
      p.unitOrgId && (unitName(p.unitOrgId) ?? `#${p.unitOrgId}`),
      p.categoryCode && categoryName(categories, p.categoryCode),
      p.status && t(`ledger.measureStatus.${p.status}`),
      p.overdue === true && t('board.charts.overdue'),
    ]
      .filter(Boolean)
      .join(' · ') || t('board.drill.open');
  return (
    <DrillContext.Provider value={drill}>
      {children}
      <Modal open={!!open} title={t('board.drill.title')} footer={null} onCancel={() => setOpen(null)} destroyOnHidden>
        {open && !open.exact && (
          <Alert type="info" showIcon title={t('board.drill.superset')} style={{ marginBottom: 12 }} />
        )}
        {open && open.parts.length > 1 && <Typography.Paragraph>{t('board.drill.parts')}</Typography.Paragraph>}
        <List
          size="small"
          dataSource={open?.parts ?? []}
          renderItem={(p) => (
            <List.Item>
              <Typography.Link
                href={ledgerHref(p)}
                onClick={(e) => {
                  e.preventDefault();
                  setOpen(null);
                  go(p);
                }}
              >
                {describe(p)}
              </Typography.Link>
            </List.Item>
          )}
        />
      </Modal>
    </DrillContext.Provider>
  );
}

/** A number that opens its rows: a real link (keyboard and screen reader), styled by the caller. */
export function DrillNumber({
  drill,
  children,
  label,
  className,
  testId,
}: {
  drill: Drill;
  children: ReactNode;
  label: string;
  className?: string;
  testId?: string;
}) {
  const open = useDrill();
  const { t } = useTranslation();
  return (
    <a
      href={drill.parts.length === 1 ? ledgerHref(drill.parts[0]!) : '#'}
      className={className ?? 'board-drill'}
      aria-label={`${label}：${t('board.drill.hint')}`}
      title={t('board.drill.hint')}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault();
        open(drill);
      }}
    >
      {children}
    </a>
  );
}
