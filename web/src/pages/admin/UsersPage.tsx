import {
  DownOutlined,
  EditOutlined,
  KeyOutlined,
  PlusOutlined,
  ReloadOutlined,
  StopOutlined,
  UnlockOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Drawer, Dropdown, Form, Input, Select, Space, Table, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../domain/roles';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Page, User } from '../../api/types';
import { useCan, useMe } from '../../app/auth';
import { CursorPager } from '../../components/CursorPager';
import { ImportDialog } from '../../components/ImportDialog';
import { OneTimeSecretModal } from '../../components/OneTimeSecret';
import { PageHeader } from '../../components/PageHeader';
import { buildOrgTree, orgTreeOptions, useAllOrganisations } from '../../lib/orgs';
import { formatTime } from '../../lib/time';

interface UserForm {
  username: string;
  displayName: string;
  orgId: number;
  role: Role;
  email?: string;
  phone?: string;
}

type StateFilter = 'active' | 'disabled' | undefined;

export default function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const qc = useQueryClient();
  const { modal } = App.useApp();
  const [filters, setFilters] = useState<{ q?: string; role?: Role; orgId?: number; state?: StateFilter }>({});
  const [cursors, setCursors] = useState<number[]>([0]);
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [secret, setSecret] = useState<{ name: string; password: string } | null>(null);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm<UserForm>();

  const orgs = useAllOrganisations(can('org.read'));
  const orgOptions = useMemo(() => orgTreeOptions(buildOrgTree(orgs.data ?? [])), [orgs.data]);
  const after = cursors[cursors.length - 1];
  const users = useQuery({
    queryKey: ['users', filters, after, pageSize],
    queryFn: () =>
      api.get<Page<User>>('/users', {
        q: filters.q,
        role: filters.role,
        orgId: filters.orgId,
        disabled: filters.state === undefined ? undefined : filters.state === 'disabled',
        after: after || undefined,
        limit: pageSize,
      }),
    placeholderData: keepPreviousData,
  });

  const setFilter = (patch: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setCursors([0]);
  };
  const invalidate = () => qc.invalidateQueries({ queryKey: ['users'] });

  const openEdit = (u: User | 'new') => {
    setEditing(u);
    setCreating(u === 'new');
    form.resetFields();
    if (u !== 'new') form.setFieldsValue({ ...u, email: u.email ?? '', phone: u.phone ?? '' });
  };

  const save = useMutation({
    mutationFn: async (v: UserForm) => {
      const common = {
        displayName: v.displayName.trim(),
        orgId: v.orgId,
        role: v.role,
        email: v.email?.trim() || null,
        phone: v.phone?.trim() || null,
      };
      if (editing === 'new' || !editing) {
        const r = await api.post<{ user: User; initialPassword: string }>('/users', {
          username: v.username.trim(),
          ...common,
        });
        return { created: r };
      }
      await api.patch<User>(`/users/${editing.id}`, { version: editing.version, ...common });
      return { created: null };
    },
    onSuccess: ({ created }) => {
      setEditing(null);
      void invalidate();
      if (created) setSecret({ name: created.user.displayName, password: created.initialPassword });
      else toast('success', t('common.saved'));
    },
    onError: (e) =>
      handleWriteError(e, (current) => {
        void invalidate();
        if (current && typeof current === 'object') openEdit(current as User);
      }),
  });

  const action = useMutation({
    mutationFn: async ({ user, kind }: { user: User; kind: 'reset-password' | 'reset-totp' | 'unlock' | 'toggle' }) => {
      if (kind === 'toggle') {
        await api.patch(`/users/${user.id}`, { version: user.version, disabled: !user.disabled });
        return null;
      }
      return api.post<{ initialPassword?: string }>(`/users/${user.id}/${kind}`);
    },
    onSuccess: (r, { user, kind }) => {
      void invalidate();
      if (kind === 'reset-password' && r?.initialPassword)
        setSecret({ name: user.displayName, password: r.initialPassword });
      else if (kind === 'reset-totp') toast('success', t('users.totpReset'));
      else if (kind === 'unlock') toast('success', t('users.unlocked'));
      else toast('success', t('common.saved'));
    },
    onError: (e) => handleWriteError(e, () => void invalidate()),
  });

  const confirm = (user: User, kind: 'reset-password' | 'reset-totp' | 'toggle') => {
    const text =
      kind === 'reset-password'
        ? t('users.resetPasswordConfirm', { name: user.displayName })
        : kind === 'reset-totp'
          ? t('users.resetTotpConfirm', { name: user.displayName })
          : t('users.disableConfirm', { name: user.displayName });
    if (kind === 'toggle' && user.disabled) {
      action.mutate({ user, kind });
      return;
    }
    modal.confirm({
      title: text,
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: kind !== 'reset-totp' },
      onOk: () => action.mutateAsync({ user, kind }).catch(() => undefined),
    });
  };

  const writable = can('user.write');
  const stateTags = (u: User) => (
    <Space size={4} wrap>
      {u.disabled ? <Tag>{t('users.stateDisabled')}</Tag> : <Tag color="green">{t('users.stateActive')}</Tag>}
      {u.locked && <Tag color="red">{t('users.stateLocked')}</Tag>}
      {u.mustChangePassword && <Tag color="orange">{t('users.stateMustChange')}</Tag>}
    </Space>
  );

  return (
    <div>
      <PageHeader
        title={t('users.title')}
        extra={
          <>
            {can('user.import') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                {t('users.import')}
              </Button>
            )}
            {writable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => openEdit('new')} data-testid="user-create">
                {t('users.create')}
              </Button>
            )}
          </>
        }
      />
      <div className="toolbar">
        <Input.Search
          allowClear
          placeholder={t('users.searchPlaceholder')}
          aria-label={t('users.searchPlaceholder')}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          onChange={(e) => !e.target.value && filters.q && setFilter({ q: undefined })}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          placeholder={t('users.filterRole')}
          aria-label={t('users.filterRole')}
          value={filters.role}
          onChange={(role) => setFilter({ role })}
          options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          style={{ width: 180 }}
        />
        <TreeSelect
          allowClear
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('users.filterOrg')}
          aria-label={t('users.filterOrg')}
          value={filters.orgId}
          onChange={(orgId) => setFilter({ orgId })}
          treeData={orgOptions}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          placeholder={t('users.filterState')}
          aria-label={t('users.filterState')}
          value={filters.state}
          onChange={(state) => setFilter({ state })}
          options={[
            { value: 'active', label: t('users.stateActive') },
            { value: 'disabled', label: t('users.stateDisabled') },
          ]}
          style={{ width: 140 }}
        />
        <Button icon={<ReloadOutlined />} aria-label={t('common.refresh')} onClick={() => void invalidate()} />
      </div>
      <Table<User>
        rowKey="id"
        loading={users.isFetching}
        dataSource={users.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1100 }}
        columns={[
          {
            title: t('users.username'),
            dataIndex: 'username',
            render: (v: string) => <span className="mono">{v}</span>,
          },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.org'), dataIndex: 'orgName', ellipsis: true },
          { title: t('users.role'), dataIndex: 'role', render: (r: Role) => t(`roles.${r}`, { defaultValue: r }) },
          { title: t('users.state'), key: 'state', render: (_, u) => stateTags(u) },
          {
            title: t('users.totp'),
            dataIndex: 'totpEnabled',
            width: 80,
            render: (v: boolean) => (v ? <Tag color="blue">{t('account.totpOn')}</Tag> : t('common.none')),
          },
          {
            title: t('users.passwordChangedAt'),
            dataIndex: 'passwordChangedAt',
            width: 150,
            render: (v: number) => formatTime(v),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 170,
                  fixed: 'right' as const,
                  render: (_: unknown, u: User) => (
                    <Space size={4}>
                      <Button size="small" icon={<EditOutlined />} onClick={() => openEdit(u)}>
                        {t('common.edit')}
                      </Button>
                      <Dropdown
                        trigger={['click']}
                        autoFocus
                        menu={{
                          items: [
                            { key: 'reset-password', icon: <KeyOutlined />, label: t('users.resetPassword') },
                            ...(u.totpEnabled ? [{ key: 'reset-totp', label: t('users.resetTotp') }] : []),
                            ...(u.locked
                              ? [{ key: 'unlock', icon: <UnlockOutlined />, label: t('users.unlock') }]
                              : []),
                            ...(u.id === me.id
                              ? []
                              : [
                                  {
                                    key: 'toggle',
                                    icon: <StopOutlined />,
                                    danger: !u.disabled,
                                    label: u.disabled ? t('users.enable') : t('users.disable'),
                                  },
                                ]),
                          ],
                          onClick: ({ key }) => {
                            if (key === 'unlock') action.mutate({ user: u, kind: 'unlock' });
                            else confirm(u, key as 'reset-password' | 'reset-totp' | 'toggle');
                          },
                        }}
                      >
                        <Button size="small">
                          {t('users.more')} <DownOutlined />
                        </Button>
                      </Dropdown>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <CursorPager
        page={cursors.length}
        total={users.data?.total}
        hasNext={users.data?.nextCursor != null}
        pageSize={pageSize}
        onPrev={() => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c))}
        onNext={() => {
          const next = users.data?.nextCursor;
          if (next != null) setCursors((c) => [...c, next]);
        }}
        onPageSize={(n) => {
          setPageSize(n);
          setCursors([0]);
        }}
      />
      <Drawer
        open={!!editing}
        title={creating ? t('users.createTitle') : t('users.editTitle')}
        size={480}
        onClose={() => setEditing(null)}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="user-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="username"
            label={t('users.username')}
            rules={[
              { required: true, message: t('common.required', { field: t('users.username') }) },
              { pattern: /^[A-Za-z0-9_.-]{3,64}$/, message: t('users.usernameRule') },
            ]}
          >
            <Input maxLength={64} disabled={editing !== 'new'} autoFocus autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('users.displayName')}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('users.displayName') }) },
            ]}
          >
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="orgId"
            label={t('users.org')}
            rules={[{ required: true, message: t('common.required', { field: t('users.org') }) }]}
          >
            <TreeSelect showSearch treeNodeFilterProp="title" treeData={orgOptions} treeDefaultExpandAll />
          </Form.Item>
          <Form.Item
            name="role"
            label={t('users.role')}
            rules={[{ required: true, message: t('common.required', { field: t('users.role') }) }]}
          >
            <Select options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
          </Form.Item>
          <Form.Item
            name="email"
            label={t('users.email')}
            rules={[{ type: 'email', message: t('users.emailInvalid') }]}
          >
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
          <Form.Item name="phone" label={t('users.phone')}>
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
        </Form>
      </Drawer>
      <OneTimeSecretModal
        open={!!secret}
        title={t('users.initialPasswordTitle')}
        value={secret?.password ?? ''}
        hint={t('users.initialPasswordHint', { name: secret?.name ?? '' })}
        onClose={() => setSecret(null)}
        testId="initial-password"
      />
      <ImportDialog
        open={importing}
        what="users"
        onClose={() => setImporting(false)}
        onImported={() => void invalidate()}
      />
    </div>
  );
}
