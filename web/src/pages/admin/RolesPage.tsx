import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { ADMIN_ROLES, type Permission, type ScopeKind } from '../../../../domain/roles';
import { api } from '../../api/client';
import type { RoleInfo } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { MESSAGES } from '../../locales';

/** Read-only: the roles the server defines, their names in the three languages, scope and permissions. */
export default function RolesPage() {
  const { t } = useTranslation();
  const roles = useQuery({ queryKey: ['roles'], queryFn: () => api.get<{ items: RoleInfo[] }>('/roles') });
  return (
    <div>
      <PageHeader title={t('rolesPage.title')} intro={t('rolesPage.intro')} />
      <Table<RoleInfo>
        rowKey="role"
        loading={roles.isLoading}
        dataSource={roles.data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('rolesPage.code'),
            dataIndex: 'role',
            width: 150,
            render: (r: string) => (
              <Space size={4}>
                <span className="mono" style={{ whiteSpace: 'nowrap' }}>
                  {r}
                </span>
                {ADMIN_ROLES.includes(r as RoleInfo['role']) && <Tag color="purple">{t('rolesPage.separated')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('rolesPage.nameZhCN'),
            key: 'zh-CN',
            width: 150,
            render: (_, r) => MESSAGES['zh-CN'].roles[r.role],
          },
          {
            title: t('rolesPage.nameZhTW'),
            key: 'zh-TW',
            width: 150,
            render: (_, r) => MESSAGES['zh-TW'].roles[r.role],
          },
          { title: t('rolesPage.nameEn'), key: 'en', width: 170, render: (_, r) => MESSAGES.en.roles[r.role] },
          {
            title: t('rolesPage.scope'),
            dataIndex: 'scope',
            width: 150,
            render: (s: ScopeKind) => t(`scopes.${s}`, { defaultValue: s }),
          },
          {
            title: t('rolesPage.permissions'),
            dataIndex: 'permissions',
            render: (ps: Permission[]) => (
              <Space size={[4, 4]} wrap>
                {ps.map((p) => (
                  <Tag key={p} title={p}>
                    {t(`permissions.${p}`, { defaultValue: p })}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
