import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { isApiError } from '../../api/client';
import { useAuth } from '../../app/auth';
import { AuthCard } from './AuthCard';

export function LoginPage() {
  const { t } = useTranslation();
  const { me, loading, login, notice, clearNotice } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  // Back to where the session ended (expiry); after an explicit sign-out, start at home.
  const [from] = useState(() =>
    notice?.type === 'success' ? '/' : ((location.state as { from?: string } | null)?.from ?? '/'),
  );
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (!loading && me) return <Navigate to={from.startsWith('/login') ? '/' : from} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    clearNotice();
    try {
      await login(v.username.trim(), v.password);
      navigate(from.startsWith('/login') ? '/' : from, { replace: true });
    } catch (e) {
      // INVALID_CREDENTIALS, ACCOUNT_LOCKED (423), RATE_LIMITED …: the server's message, in the UI language.
      setError(isApiError(e) ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('auth.title')}>
      {notice && !error && (
        <Alert role="status" type={notice.type} title={notice.text} showIcon style={{ marginBottom: 16 }} />
      )}
      {error && (
        <Alert
          role="alert"
          type="error"
          title={error}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="login-error"
        />
      )}
      <Form layout="vertical" requiredMark={false} onFinish={onFinish} disabled={busy} size="large">
        <Form.Item
          name="username"
          label={t('auth.username')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('auth.username') }) }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('auth.password')}
          rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={128} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          {t('auth.signIn')}
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 13 }}>
        {t('auth.accountHelp')}
      </Typography.Paragraph>
    </AuthCard>
  );
}
