import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ClosureStatus, RecheckStatus } from '../../../../domain/progress';
import '../progress/progress.css';

const CLOSURE_COLOR: Record<ClosureStatus, string> = {
  pending: 'gold',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
  reopened: 'magenta',
};

export function ClosureStatusTag({ status }: { status: ClosureStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={CLOSURE_COLOR[status]} data-status={status}>
      {t(`closure.status.${status}`)}
    </Tag>
  );
}

const RECHECK_COLOR: Record<RecheckStatus, string> = {
  pending: 'processing',
  passed: 'success',
  failed: 'error',
  cancelled: 'default',
};

export function RecheckStatusTag({ status }: { status: RecheckStatus }) {
  const { t } = useTranslation();
  return <Tag color={RECHECK_COLOR[status]}>{t(`closure.recheckStatus.${status}`)}</Tag>;
}
