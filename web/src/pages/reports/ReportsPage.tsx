import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/PageHeader';

export default function ReportsPage() {
  const { t } = useTranslation();
  return <PageHeader title={t('menu.reports')} />;
}
