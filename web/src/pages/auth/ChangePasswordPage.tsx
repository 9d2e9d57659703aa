import { CheckCircleTwoTone, CloseCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy, passwordClasses } from '../../../../domain/password';
import { api, isApiError } from '../../api/client';
import { toast } from '../../api/feedback';
import type { Me } from '../../api/types';
import { useAuth } from '../../app/auth';
import { AuthCard } from './AuthCard';

function PolicyChecklist({ password, policy }: { password: string; policy: PasswordPolicy }) {
  const { t } = useTranslation();
  const have = passwordClasses(password);
  const rows = [
    { ok: [...password].length >= policy.minLength, text: t('auth.policyCheckLength', { min: policy.minLength }) },
    { ok: have >= policy.minClasses, text: t('auth.policyCheckClasses', { classes: policy.minClasses, have }) },
  ];
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: '0 0 12px' }} aria-live="polite">
      {rows.map((r) => (
        <li key={r.text}>
          <Space size={6}>
            {r.ok ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleOutlined style={{ color: '#bbb' }} />}
            <Typography.Text type={r.ok ? 'success' : 'secondary'}>{r.text}</Typography.Text>
          </Space>
        </li>
      ))}
    </ul>
  );
}

/** Current + new + confirm; the server checks the real policy and answers in the UI language. */
export function ChangePasswordForm({ onDone, policy }: { onDone: (me: Me) => void; policy?: PasswordPolicy }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const newPassword = Form.useWatch('newPassword', form) ?? '';
  const p = policy ?? DEFAULT_PASSWORD_POLICY;

  const onFinish = async (v: { currentPassword: string; newPassword: string }) => {
    setBusy(true);
    setError(null);
    try {
      const me = await api.post<Me>('/auth/password', {
        currentPassword: v.currentPassword,
        newPassword: v.newPassword,
      });
      form.resetFields();
      toast('success', t('auth.passwordChanged'));
      onDone(me);
    } catch (e) {
      setError(isApiError(e) ? e.detail : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={onFinish} disabled={busy} requiredMark={false}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('auth.policy', { min: p.minLength, classes: p.minClasses })}
        description={p.maxAgeDays > 0 ? t('auth.policyAge', { days: p.maxAgeDays }) : undefined}
        data-testid="password-policy"
      />
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="currentPassword"
        label={t('auth.currentPassword')}
        rules={[{ required: true, message: t('common.required', { field: t('auth.currentPassword') }) }]}
      >
        <Input.Password autoComplete="current-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('auth.newPassword')}
        rules={[{ required: true, message: t('common.required', { field: t('auth.newPassword') }) }]}
        extra={<PolicyChecklist password={newPassword} policy={p} />}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('auth.confirmPassword')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required', { field: t('auth.confirmPassword') }) },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              !value || getFieldValue('newPassword') === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('auth.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={128} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('auth.changePassword')}
      </Button>
    </Form>
  );
}

/** The forced step after sign-in when the password must change (first login or expired). */
export function ChangePasswordPage({ forced }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { setMe } = useAuth();
  return (
    <AuthCard title={t('auth.forcedTitle')} withLogout={forced}>
      <Typography.Paragraph>{t('auth.forcedIntro')}</Typography.Paragraph>
      <ChangePasswordForm onDone={setMe} />
    </AuthCard>
  );
}
