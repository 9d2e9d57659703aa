import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, DatePicker, Empty, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { useUnitOptions, ymd } from './shared';
import type { DispatchItem, DispatchItemStatus, DispatchOrder, Paged } from './types';

const ITEM_COLOR: Record<DispatchItemStatus, string> = {
  pending: 'gold',
  answered: 'processing',
  accepted: 'success',
  returned: 'error',
};

interface OrderForm {
  unitOrgId: number;
  addressee?: string;
  title: string;
  content?: string;
  deadline: Dayjs;
  items: { content: string; deadline?: Dayjs }[];
}

type ItemAct = { order: DispatchOrder; item: DispatchItem; act: 'answer' | 'accept' | 'return' };

/** 主体责任派单: orders to a unit's party organisation, answered item by item and reviewed by the issuer. */
export function OrdersTab() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const issuer = can('supervision.write');
  const [status, setStatus] = useState<'open' | 'done' | undefined>();
  const [creating, setCreating] = useState(false);
  const [acting, setActing] = useState<ItemAct | null>(null);
  const units = useUnitOptions(issuer);
  const q = useQuery({
    queryKey: ['dispatch-orders', { status }],
    queryFn: () => api.get<Paged<DispatchOrder>>('/dispatch-orders', { status, limit: 100 }),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['dispatch-orders'] });
  const create = useMutation({
    mutationFn: (v: OrderForm) =>
      api.post<DispatchOrder>('/dispatch-orders', {
        unitOrgId: v.unitOrgId,
        addressee: v.addressee?.trim() || undefined,
        title: v.title.trim(),
        content: v.content?.trim() || undefined,
        deadline: ymd(v.deadline),
        items: v.items
          .filter((i) => i?.content?.trim())
          .map((i) => ({ content: i.content.trim(), deadline: ymd(i.deadline) })),
      }),
    onSuccess: () => {
      toast('success', t('supervision.order.created'));
      setCreating(false);
      refresh();
    },
    onError: (e) => handleWriteError(e),
  });
  const act = useMutation({
    mutationFn: (v: { text?: string; note?: string }) => {
      const { order, item, act: kind } = acting!;
      const base = `/dispatch-orders/${order.id}/items/${item.id}`;
      if (kind === 'answer') return api.post(`${base}/answer`, { version: item.version, text: v.text!.trim() });
      if (kind === 'accept')
        return api.post(`${base}/accept`, { version: item.version, note: v.note?.trim() || undefined });
      return api.post(`${base}/return`, { version: item.version, note: v.note!.trim() });
    },
    onSuccess: () => {
      const kind = acting!.act;
      toast(
        'success',
        t(
          kind === 'answer'
            ? 'supervision.order.answered'
            : kind === 'accept'
              ? 'supervision.order.accepted'
              : 'supervision.order.returned',
        ),
      );
      setActing(null);
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  return (
    <div>
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('supervision.filterStatus')}
          placeholder={t('supervision.filterStatus')}
          value={status}
          onChange={setStatus}
          options={(['open', 'done'] as const).map((s) => ({ value: s, label: t(`supervision.order.status.${s}`) }))}
          style={{ width: 150 }}
        />
        {issuer && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="order-create">
            {t('supervision.order.create')}
          </Button>
        )}
      </div>
      <List<DispatchOrder>
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="orders-list"
        locale={{ emptyText: <Empty description={t('supervision.order.none')} /> }}
        renderItem={(o) => (
          <List.Item>
            <Card
              size="small"
              style={{ width: '100%' }}
              data-testid={`order-${o.id}`}
              title={
                <Space wrap size={4}>
                  <Tag color={o.status === 'done' ? 'success' : 'processing'}>
                    {t(`supervision.order.status.${o.status}`)}
                  </Tag>
                  <span>{o.title}</span>
                  {o.overdueItems > 0 && (
                    <Tag color="error">{t('supervision.order.overdueItems', { count: o.overdueItems })}</Tag>
                  )}
                </Space>
              }
              extra={
                <Typography.Text type="secondary">{t('supervision.order.due', { date: o.deadline })}</Typography.Text>
              }
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {o.supervisorName} → {o.addressee}
              </Typography.Text>
              {o.content && (
                <Typography.Paragraph style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}>
                  {o.content}
                </Typography.Paragraph>
              )}
              <List<DispatchItem>
                size="small"
                dataSource={o.items}
                renderItem={(i) => (
                  <List.Item data-testid={`order-item-${i.id}`}>
                    <div className="period-row">
                      <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                        <Space wrap size={4}>
                          <Typography.Text strong>{i.seq}.</Typography.Text>
                          <Tag color={ITEM_COLOR[i.status]}>{t(`supervision.order.itemStatus.${i.status}`)}</Tag>
                          {i.overdue && <Tag color="error">{t('supervision.overdue')}</Tag>}
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('supervision.order.due', { date: i.deadline })}
                          </Typography.Text>
                        </Space>
                        <div style={{ whiteSpace: 'pre-wrap' }}>{i.content}</div>
                        {i.answerText && (
                          <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>
                            {t('supervision.order.answerText')}：{i.answerText}（
                            {t('supervision.by', { who: i.answeredByName ?? '—', time: formatTime(i.answeredAt) })}）
                          </Typography.Paragraph>
                        )}
                        {i.reviewNote && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {t('supervision.order.reviewNote')}：{i.reviewNote}
                          </Typography.Text>
                        )}
                      </div>
                      <Space wrap>
                        {can('supervision.respond') && (i.status === 'pending' || i.status === 'returned') && (
                          <Button
                            type="primary"
                            size="small"
                            onClick={() => setActing({ order: o, item: i, act: 'answer' })}
                          >
                            {t('supervision.order.answer')}
                          </Button>
                        )}
                        {issuer && i.status === 'answered' && (
                          <>
                            <Button
                              size="small"
                              type="primary"
                              onClick={() => setActing({ order: o, item: i, act: 'accept' })}
                            >
                              {t('supervision.order.accept')}
                            </Button>
                            <Button size="small" danger onClick={() => setActing({ order: o, item: i, act: 'return' })}>
                              {t('supervision.order.return')}
                            </Button>
                          </>
                        )}
                      </Space>
                    </div>
                  </List.Item>
                )}
              />
            </Card>
          </List.Item>
        )}
      />
      <FormModal<{ text?: string; note?: string }>
        open={!!acting}
        title={acting ? `${t(`supervision.order.${acting.act}`)} · ${acting.item.seq}` : ''}
        onCancel={() => setActing(null)}
        onFinish={(v) => act.mutate(v)}
        busy={act.isPending}
        okDanger={acting?.act === 'return'}
      >
        {acting && (
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{acting.item.content}</Typography.Paragraph>
        )}
        {acting?.act === 'answer' ? (
          <Form.Item
            name="text"
            label={t('supervision.order.answerText')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('supervision.order.answerText') }),
              },
            ]}
          >
            <Input.TextArea maxLength={10000} autoSize={{ minRows: 3, maxRows: 10 }} />
          </Form.Item>
        ) : (
          <Form.Item
            name="note"
            label={acting?.act === 'return' ? t('supervision.order.returnNote') : t('supervision.order.reviewNote')}
            rules={
              acting?.act === 'return'
                ? [
                    {
                      required: true,
                      whitespace: true,
                      message: t('common.required', { field: t('supervision.order.returnNote') }),
                    },
                  ]
                : []
            }
          >
            <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
          </Form.Item>
        )}
      </FormModal>
      <FormModal<OrderForm>
        open={creating}
        title={t('supervision.order.create')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => create.mutate(v)}
        busy={create.isPending}
        width={640}
        initialValues={{ items: [{ content: '' }] }}
      >
        <Form.Item
          name="unitOrgId"
          label={t('supervision.unit')}
          rules={[{ required: true, message: t('common.required', { field: t('supervision.unit') }) }]}
        >
          <Select showSearch={{ optionFilterProp: 'label' }} options={units.data ?? []} />
        </Form.Item>
        <Form.Item
          name="addressee"
          label={t('supervision.order.addressee')}
          extra={t('supervision.order.addresseeHint')}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="title"
          label={t('supervision.order.title')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('supervision.order.title') }),
            },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label={t('supervision.order.content')}>
          <Input.TextArea maxLength={10000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Form.Item
          name="deadline"
          label={t('supervision.order.deadline')}
          rules={[{ required: true, message: t('common.required', { field: t('supervision.order.deadline') }) }]}
        >
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Typography.Text strong>{t('supervision.order.items')}</Typography.Text>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item name={[f.name, 'content']} noStyle>
                    <Input.TextArea
                      maxLength={2000}
                      autoSize={{ minRows: 1, maxRows: 4 }}
                      placeholder={t('supervision.order.itemContent', { n: i + 1 })}
                      aria-label={t('supervision.order.itemContent', { n: i + 1 })}
                      style={{ width: 320 }}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'deadline']} noStyle>
                    <DatePicker format="YYYY-MM-DD" placeholder={t('supervision.order.itemDeadline')} />
                  </Form.Item>
                  {fields.length > 1 && (
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={t('common.delete')}
                    />
                  )}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ marginTop: 8 }}>
                {t('supervision.order.addItem')}
              </Button>
            </>
          )}
        </Form.List>
      </FormModal>
    </div>
  );
}
