import { BellOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Grid, Layout, Menu, type MenuProps, Space, Tooltip, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api/client';
import { useAuth, useCan, useMe } from './auth';
import { LanguageSwitch } from './LanguageSwitch';
import { entryForPath, MENU, MENU_GROUPS, type MenuEntry, type MenuGroupKey, visibleEntries } from './menu';

const { Header, Sider, Content, Footer } = Layout;

/** The bell: my unread notices, refreshed every minute and whenever the notices change. */
function NoticeBell() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['notices', 'unread-count'],
    queryFn: () => api.get<{ count: number }>('/notices/unread-count'),
    refetchInterval: 60_000,
    retry: false,
  });
  const count = q.data?.count ?? 0;
  return (
    <Tooltip title={t('notices.bell', { count })}>
      <Link to="/notices" data-testid="notice-bell" data-count={count} aria-label={t('notices.bell', { count })}>
        <Badge count={count} size="small" overflowCount={99}>
          <BellOutlined style={{ fontSize: 18, color: 'rgba(0,0,0,0.65)' }} />
        </Badge>
      </Link>
    </Tooltip>
  );
}

function pathOf(entry: MenuEntry) {
  return `/${entry.path}`;
}

export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useAuth();
  const can = useCan();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const isCollapsed = collapsed ?? narrow;

  const items = useMemo<MenuProps['items']>(() => {
    const entries = visibleEntries(can);
    const out: NonNullable<MenuProps['items']> = [];
    const groups = new Map<MenuGroupKey, NonNullable<MenuProps['items']>>();
    for (const e of entries) {
      const item = { key: e.key, icon: e.icon, label: t(e.labelKey) };
      if (!e.group) {
        out.push(item);
        continue;
      }
      let children = groups.get(e.group);
      if (!children) {
        children = [];
        groups.set(e.group, children);
        const g = MENU_GROUPS[e.group];
        out.push({ key: `group:${e.group}`, icon: g.icon, label: t(g.labelKey), children });
      }
      children.push(item);
    }
    return out;
  }, [can, t]);

  const current = entryForPath(location.pathname);
  const selectedKeys = current ? [current.key] : [];
  const [openKeys, setOpenKeys] = useState<string[]>(['group:admin']);

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Sider
        width={224}
        collapsible
        collapsed={isCollapsed}
        collapsedWidth={narrow ? 0 : 64}
        trigger={null}
        breakpoint="md"
        style={narrow && !isCollapsed ? { position: 'fixed', height: '100vh', zIndex: 20 } : undefined}
      >
        <div className="app-brand" title={t('app.name')}>
          <img src="/favicon.svg" alt="" />
          {!isCollapsed && <span>{t('app.name')}</span>}
        </div>
        <nav aria-label={t('app.name')}>
          <Menu
            theme="dark"
            mode="inline"
            items={items}
            selectedKeys={selectedKeys}
            openKeys={isCollapsed ? undefined : openKeys}
            onOpenChange={setOpenKeys}
            onClick={({ key }) => {
              const entry = MENU.find((e) => e.key === key);
              if (entry) navigate(pathOf(entry));
              if (narrow) setCollapsed(true);
            }}
          />
        </nav>
      </Sider>
      <Layout>
        <Header className="app-header">
          <Button
            type="text"
            aria-label={isCollapsed ? 'menu' : 'collapse menu'}
            icon={isCollapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!isCollapsed)}
          />
          <div style={{ flex: 1 }} />
          <Space size="middle" wrap={false}>
            <NoticeBell />
            <Tooltip title={t('menu.account')}>
              <Link to="/account" data-testid="header-user" style={{ color: 'inherit' }}>
                <Space size={6}>
                  <UserOutlined />
                  {/* On a phone the name would wrap and push the header over the page: the icon links there. */}
                  {!narrow && <Typography.Text strong>{me.displayName}</Typography.Text>}
                  <Typography.Text type="secondary" className="header-org">
                    {me.orgName}
                  </Typography.Text>
                </Space>
              </Link>
            </Tooltip>
            <LanguageSwitch />
            <Button
              icon={<LogoutOutlined />}
              onClick={() => void onLogout()}
              data-testid="logout"
              aria-label={t('auth.logout')}
            >
              {narrow ? null : t('auth.logout')}
            </Button>
          </Space>
        </Header>
        <Content className="app-content" id="main" tabIndex={-1}>
          {children}
        </Content>
        <Footer style={{ textAlign: 'center', color: '#888', padding: '12px 16px' }}>{t('app.footer')}</Footer>
      </Layout>
    </Layout>
  );
}
