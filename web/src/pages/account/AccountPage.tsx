import { DeleteOutlined, KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client';
import { toast } from '../../api/feedback';
import type { ApiToken, CreatedToken } from '../../api/types';
import { useAuth, useMe } from '../../app/auth';
import { OneTimeSecretModal } from '../../components/OneTimeSecret';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { ChangePasswordForm } from '../auth/ChangePasswordPage';
import { TotpEnrol } from '../auth/TotpEnrolPage';

function TotpCard() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh } = useAuth();
  const [disabling, setDisabling] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ password: string }>();

  const disable = async (v: { password: string }) => {
    setError(null);
    try {
      await api.post('/auth/totp/disable', { password: v.password });
      toast('success', t('account.totpDisabled'));
      setDisabling(false);
      form.resetFields();
      await refresh();
    } catch (e) {
      setError(isApiError(e) ? e.detail : String(e));
    }
  };

  return (
    <Card
      title={t('account.totp')}
      extra={me.totpEnabled ? <Tag color="green">{t('account.totpOn')}</Tag> : <Tag>{t('account.totpOff')}</Tag>}
    >
      {me.totpEnabled ? (
        <>
          <Button danger onClick={() => setDisabling(true)}>
            {t('account.totpDisable')}
          </Button>
          <Modal
            open={disabling}
            title={t('account.totpDisable')}
            onCancel={() => setDisabling(false)}
            onOk={() => form.submit()}
            okButtonProps={{ danger: true }}
            okText={t('account.totpDisable')}
            cancelText={t('common.cancel')}
            destroyOnHidden
          >
            {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Form form={form} layout="vertical" onFinish={disable} requiredMark={false}>
              <Form.Item
                name="password"
                label={t('account.totpDisablePrompt')}
                rules={[{ required: true, message: t('common.required', { field: t('auth.password') }) }]}
              >
                <Input.Password autoComplete="current-password" autoFocus />
              </Form.Item>
            </Form>
          </Modal>
        </>
      ) : (
        <TotpEnrol onDone={refresh} />
      )}
    </Card>
  );
}

function TokensCard() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; expiresInDays?: number | null }>();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const tokens = useQuery({
    queryKey: ['auth', 'tokens'],
    queryFn: () => api.get<{ items: ApiToken[] }>('/auth/tokens'),
  });
  const create = useMutation({
    mutationFn: (v: { name: string; expiresInDays?: number | null }) =>
      api.post<CreatedToken>('/auth/tokens', { name: v.name.trim(), expiresInDays: v.expiresInDays ?? null }),
    onSuccess: (tok) => {
      setCreated(tok);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['auth', 'tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => api.delete(`/auth/tokens/${id}`),
    onSuccess: () => {
      toast('success', t('account.tokenRevoked'));
      void qc.invalidateQueries({ queryKey: ['auth', 'tokens'] });
    },
  });

  const now = Date.now();
  const stateOf = (tok: ApiToken) =>
    tok.revokedAt ? (
      <Tag>{t('account.tokenRevokedState')}</Tag>
    ) : tok.expiresAt && tok.expiresAt <= now ? (
      <Tag color="orange">{t('account.tokenExpiredState')}</Tag>
    ) : (
      <Tag color="green">{t('account.tokenActive')}</Tag>
    );

  return (
    <Card title={t('account.tokens')}>
      <Typography.Paragraph type="secondary">{t('account.tokensIntro')}</Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(v) => create.mutate(v)} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item
          name="name"
          label={t('account.tokenName')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('account.tokenName') }) },
          ]}
        >
          <Input maxLength={100} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="expiresInDays"
          label={t('account.tokenExpiresInDays')}
          tooltip={t('account.tokenNeverExpires')}
        >
          <InputNumber min={1} max={3650} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending}>
            {t('account.tokenCreate')}
          </Button>
        </Form.Item>
      </Form>
      <Table<ApiToken>
        rowKey="id"
        size="small"
        loading={tokens.isLoading}
        dataSource={tokens.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('account.noTokens') }}
        columns={[
          { title: t('account.tokenName'), dataIndex: 'name' },
          {
            title: t('account.tokenPrefix'),
            dataIndex: 'prefix',
            render: (v: string) => <span className="mono">{v}…</span>,
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: number) => formatTime(v) },
          { title: t('account.tokenLastUsed'), dataIndex: 'lastUsedAt', render: (v: number | null) => formatTime(v) },
          { title: t('account.tokenExpires'), dataIndex: 'expiresAt', render: (v: number | null) => formatTime(v) },
          { title: t('common.status'), key: 'state', render: (_, tok) => stateOf(tok) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, tok) =>
              tok.revokedAt ? null : (
                <Popconfirm
                  title={t('account.tokenRevokeConfirm', { name: tok.name })}
                  okText={t('account.tokenRevoke')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => revoke.mutateAsync(tok.id)}
                >
                  <Button size="small" danger icon={<DeleteOutlined />}>
                    {t('account.tokenRevoke')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]}
      />
      <OneTimeSecretModal
        open={!!created}
        title={t('account.tokenCreated')}
        value={created?.token ?? ''}
        hint={t('account.tokenShownOnce')}
        onClose={() => setCreated(null)}
        testId="created-token"
      />
    </Card>
  );
}

export default function AccountPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { setMe } = useAuth();
  return (
    <div>
      <PageHeader title={t('account.title')} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('account.profile')}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('home.username')}>{me.username}</Descriptions.Item>
                <Descriptions.Item label={t('users.displayName')}>{me.displayName}</Descriptions.Item>
                <Descriptions.Item label={t('home.role')}>{t(`roles.${me.role}`)}</Descriptions.Item>
                <Descriptions.Item label={t('home.org')}>{me.orgName}</Descriptions.Item>
                <Descriptions.Item label={t('home.passwordChangedAt')}>
                  {formatTime(me.passwordChangedAt)}
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Card
              title={
                <Space>
                  <KeyOutlined />
                  {t('auth.changePassword')}
                </Space>
              }
            >
              <ChangePasswordForm onDone={setMe} />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={12}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <TotpCard />
            <TokensCard />
          </Space>
        </Col>
      </Row>
    </div>
  );
}
