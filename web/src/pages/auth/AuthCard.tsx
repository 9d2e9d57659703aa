import { LogoutOutlined } from '@ant-design/icons';
import { Button, Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../app/auth';
import { LanguageSwitch } from '../../app/LanguageSwitch';

/** The centred card of the sign-in steps (login, forced password change, TOTP); fine on a phone. */
export function AuthCard({
  title,
  children,
  withLogout,
}: {
  title: string;
  children: ReactNode;
  withLogout?: boolean;
}) {
  const { t } = useTranslation();
  const { logout } = useAuth();
  return (
    <main className="login-wrap">
      <div className="login-card">
        <div style={{ display: 'flex', justifyContent: 'flex-end', marginBottom: 8 }}>
          <LanguageSwitch size="small" />
        </div>
        <Card
          title={
            <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
              <img src="/favicon.svg" alt="" width={24} height={24} />
              {t('app.name')}
            </span>
          }
        >
          <div className="login-title">
            <h1>{title}</h1>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
          {children}
          {withLogout && (
            <div style={{ textAlign: 'center', marginTop: 8 }}>
              <Button type="link" icon={<LogoutOutlined />} onClick={() => void logout()}>
                {t('auth.logout')}
              </Button>
            </div>
          )}
        </Card>
      </div>
    </main>
  );
}
