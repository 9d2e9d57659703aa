import { Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { PeriodKind, ProgressReportStatus } from '../../../../domain/progress';
import './progress.css';

const REPORT_STATUS_COLOR: Record<ProgressReportStatus, string> = {
  draft: 'default',
  pending_signoff: 'gold',
  submitted: 'success',
};

export function ReportStatusTag({ status }: { status: ProgressReportStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={REPORT_STATUS_COLOR[status]} data-status={status}>
      {t(`progress.status.${status}`)}
    </Tag>
  );
}

/** 迟报 (signed off after the due day) or 逾期 (not in yet and past due): never by colour alone. */
export function LateTag({ kind }: { kind: 'late' | 'overdue' }) {
  const { t } = useTranslation();
  return (
    <Tag color="error" data-testid={`tag-${kind}`}>
      {t(`progress.${kind}`)}
    </Tag>
  );
}

export function periodLabel(t: TFunction, seq: number, kind: PeriodKind) {
  return t('progress.periodLabel', { seq, kind: t(`progress.periodKind.${kind}`) });
}
