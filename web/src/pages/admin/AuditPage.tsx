import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { Alert, Button, Col, DatePicker, Form, Input, Row, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AuditRow, AuditVerify } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { endOfDayMs, formatTime, startOfDayMs } from '../../lib/time';

interface Filters {
  actor?: string;
  action?: string;
  entity?: string;
  from?: number;
  to?: number;
}

function Json({ text }: { text: string | null }) {
  const { t } = useTranslation();
  if (!text) return <Typography.Text type="secondary">{t('audit.noData')}</Typography.Text>;
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // not JSON: shown as stored
  }
  return <pre className="json">{pretty}</pre>;
}

const PAGE = 50;

export default function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const [form] = Form.useForm<{ actor?: string; action?: string; entity?: string; range?: [Dayjs, Dayjs] | null }>();

  const log = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      api.get<{ items: AuditRow[]; nextCursor: number | null }>('/audit', {
        ...filters,
        before: pageParam,
        limit: PAGE,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];

  const verify = useMutation({ mutationFn: () => api.get<AuditVerify>('/audit/verify') });

  const apply = (v: { actor?: string; action?: string; entity?: string; range?: [Dayjs, Dayjs] | null }) =>
    setFilters({
      actor: v.actor?.trim() || undefined,
      action: v.action?.trim() || undefined,
      entity: v.entity?.trim() || undefined,
      from: v.range ? startOfDayMs(v.range[0]) : undefined,
      to: v.range ? endOfDayMs(v.range[1]) : undefined,
    });

  return (
    <div>
      <PageHeader
        title={t('audit.title')}
        intro={t('audit.intro')}
        extra={
          <Button icon={<SafetyCertificateOutlined />} onClick={() => verify.mutate()} loading={verify.isPending}>
            {t('audit.verify')}
          </Button>
        }
      />
      {verify.data && (
        <Alert
          role="status"
          style={{ marginBottom: 12 }}
          showIcon
          closable={{ onClose: () => verify.reset() }}
          type={verify.data.ok ? 'success' : 'error'}
          title={
            verify.data.ok
              ? t('audit.verifyOk', { checked: verify.data.checked })
              : t(verify.data.firstBad?.chain ? 'audit.verifyBadChain' : 'audit.verifyBad', {
                  chain: verify.data.firstBad?.chain,
                  position: verify.data.firstBad?.position ?? '?',
                  seq: verify.data.firstBad?.seq ?? '?',
                  reason: verify.data.firstBad?.reason ?? '',
                })
          }
          data-testid="audit-verify"
        />
      )}
      <Form form={form} layout="vertical" onFinish={apply}>
        <Row gutter={12} align="bottom">
          <Col xs={24} sm={12} lg={5}>
            <Form.Item name="actor" label={t('audit.actor')}>
              <Input allowClear maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={5}>
            <Form.Item name="action" label={t('audit.action')}>
              <Input allowClear maxLength={80} placeholder={t('audit.actionPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={4}>
            <Form.Item name="entity" label={t('audit.entity')}>
              <Input allowClear maxLength={60} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="range" label={t('audit.range')}>
              <DatePicker.RangePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} lg={4}>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>{' '}
              <Button
                onClick={() => {
                  form.resetFields();
                  setFilters({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Table<AuditRow>
        rowKey="seq"
        size="small"
        loading={log.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1280 }}
        expandable={{
          rowExpandable: (r) => !!(r.before || r.after),
          expandedRowRender: (r) => (
            <Row gutter={12}>
              <Col xs={24} md={12}>
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  {t('audit.before')}
                </Typography.Title>
                <Json text={r.before} />
              </Col>
              <Col xs={24} md={12}>
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  {t('audit.after')}
                </Typography.Title>
                <Json text={r.after} />
              </Col>
            </Row>
          ),
        }}
        columns={[
          { title: t('audit.seq'), dataIndex: 'seq', width: 80 },
          { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: number) => formatTime(v, true) },
          { title: t('audit.actor'), dataIndex: 'actorName', width: 120, render: (v: string | null) => v ?? '—' },
          { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
          {
            title: t('audit.action'),
            dataIndex: 'action',
            width: 190,
            render: (v: string) => (
              <span className="mono" style={{ wordBreak: 'normal', whiteSpace: 'nowrap' }}>
                {v}
              </span>
            ),
          },
          {
            title: t('audit.entity'),
            key: 'entity',
            render: (_, r) => (r.entity ? `${r.entity}${r.entityId ? ` #${r.entityId}` : ''}` : '—'),
          },
          {
            title: t('audit.result'),
            dataIndex: 'result',
            width: 90,
            render: (v: string) => <Tag color={v === 'ok' || v === 'success' ? 'green' : 'red'}>{v}</Tag>,
          },
          {
            title: t('audit.requestId'),
            dataIndex: 'requestId',
            width: 130,
            render: (v: string | null) => <span className="mono">{v ?? '—'}</span>,
          },
          {
            title: t('audit.hash'),
            dataIndex: 'hash',
            width: 120,
            render: (v: string) => (
              <Typography.Text className="mono" copyable={{ text: v }} title={v}>
                {v.slice(0, 10)}…
              </Typography.Text>
            ),
          },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 12 }}>
        <Typography.Text type="secondary" style={{ marginRight: 12 }}>
          {t('audit.shown', { count: rows.length })}
        </Typography.Text>
        {log.hasNextPage ? (
          <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </div>
    </div>
  );
}
