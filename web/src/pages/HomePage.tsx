import { Alert, Card, Col, Descriptions, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ADMIN_ROLES } from '../../../domain/roles';
import { useCan, useMe } from '../app/auth';
import { visibleEntries } from '../app/menu';
import { formatTime } from '../lib/time';
import { FiguresBlock } from './dashboard/FiguresBlock';

export default function HomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const shortcuts = visibleEntries(can).filter((e) => e.path !== '');

  return (
    <div>
      <div className="page-header">
        <h1 data-testid="greeting">{t('home.greeting', { name: me.displayName })}</h1>
      </div>
      <Row gutter={[16, 16]}>
        {can('dashboard.read') && (
          <Col span={24}>
            <FiguresBlock />
          </Col>
        )}
        <Col xs={24} lg={12}>
          <Card title={t('account.profile')}>
            <Descriptions column={1} size="small" styles={{ label: { width: 140 } }}>
              <Descriptions.Item label={t('home.username')}>{me.username}</Descriptions.Item>
              <Descriptions.Item label={t('home.role')}>
                <Tag color="red" data-testid="home-role">
                  {t(`roles.${me.role}`)}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('home.org')}>
                <span data-testid="home-org">{me.orgName}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('home.passwordChangedAt')}>
                {formatTime(me.passwordChangedAt)}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.totp')}>
                {me.totpEnabled ? <Tag color="green">{t('account.totpOn')}</Tag> : <Tag>{t('account.totpOff')}</Tag>}
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('app.name')}>
            <Typography.Paragraph>{t('home.intro')}</Typography.Paragraph>
            {ADMIN_ROLES.includes(me.role) && <Alert type="info" showIcon title={t('home.adminNote')} />}
          </Card>
        </Col>
        {shortcuts.length > 0 && (
          <Col span={24}>
            <Card title={t('home.shortcuts')}>
              <Row gutter={[12, 12]}>
                {shortcuts.map((e) => (
                  <Col key={e.key} xs={12} sm={8} md={6} xl={4}>
                    <Card
                      hoverable
                      size="small"
                      role="link"
                      tabIndex={0}
                      onClick={() => navigate(`/${e.path}`)}
                      onKeyDown={(ev) => {
                        if (ev.key === 'Enter' || ev.key === ' ') {
                          ev.preventDefault();
                          navigate(`/${e.path}`);
                        }
                      }}
                      style={{ textAlign: 'center' }}
                    >
                      <div style={{ fontSize: 22, color: '#b71c1c' }}>{e.icon}</div>
                      <div>{t(e.labelKey)}</div>
                    </Card>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        )}
      </Row>
    </div>
  );
}
