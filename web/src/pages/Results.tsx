import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Permission } from '../../../domain/roles';
import { useCan } from '../app/auth';

export function Forbidden() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={t('errors.forbiddenTitle')}
      subTitle={t('errors.forbidden')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.goHome')}
        </Button>
      }
    />
  );
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('common.notFoundTitle')}
      subTitle={t('common.notFound')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.goHome')}
        </Button>
      }
    />
  );
}

/** A page the user's role may not open shows 403 rather than the page. */
export function RequirePermission({ permission, children }: { permission: Permission | null; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? children : <Forbidden />;
}
