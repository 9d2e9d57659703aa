import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Calendar,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Space,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { CalendarDay } from '../../api/types';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { inZone } from '../../lib/time';

type Kind = 'holiday' | 'workday' | 'normal';

export default function CalendarPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [panel, setPanel] = useState<Dayjs>(() => dayjs(inZone(Date.now()).format('YYYY-MM-DD')));
  const [editing, setEditing] = useState<Dayjs | null>(null);
  const [form] = Form.useForm<{ date: Dayjs; kind: Kind; note?: string }>();
  const year = panel.year();
  const writable = can('calendar.write');

  const days = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => api.get<{ items: CalendarDay[] }>('/calendar', { year }),
  });
  const byDate = useMemo(() => new Map((days.data?.items ?? []).map((d) => [d.date, d])), [days.data]);
  const invalidate = () => qc.invalidateQueries({ queryKey: ['calendar'] });

  const open = (d: Dayjs) => {
    if (!writable) return;
    const existing = byDate.get(d.format('YYYY-MM-DD'));
    setEditing(d);
    form.setFieldsValue({ date: d, kind: existing?.kind ?? 'normal', note: existing?.note ?? '' });
  };

  const save = useMutation({
    mutationFn: async (v: { date: Dayjs; kind: Kind; note?: string }) => {
      const date = v.date.format('YYYY-MM-DD');
      setPanel(v.date);
      if (v.kind === 'normal') {
        if (byDate.has(date)) await api.delete(`/calendar/${date}`);
        return 'cleared' as const;
      }
      await api.put(`/calendar/${date}`, { kind: v.kind, note: v.note?.trim() || null });
      return 'saved' as const;
    },
    onSuccess: (r) => {
      toast('success', r === 'cleared' ? t('calendar.cleared') : t('common.saved'));
      setEditing(null);
      void invalidate();
    },
    onError: (e) => handleWriteError(e, () => void invalidate()),
  });
  const clear = useMutation({
    mutationFn: (date: string) => api.delete(`/calendar/${date}`),
    onSuccess: () => {
      toast('success', t('calendar.cleared'));
      void invalidate();
    },
    onError: (e) => handleWriteError(e, () => void invalidate()),
  });

  const cell = (d: Dayjs) => {
    const ex = byDate.get(d.format('YYYY-MM-DD'));
    if (!ex) {
      const wd = d.day();
      return wd === 0 || wd === 6 ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('calendar.weekend')}
        </Typography.Text>
      ) : null;
    }
    return (
      <span className={`cal-cell-tag cal-${ex.kind}`} title={ex.note ?? undefined}>
        {ex.kind === 'holiday' ? t('calendar.holiday') : t('calendar.workday')}
        {ex.note ? ` · ${ex.note}` : ''}
      </span>
    );
  };

  return (
    <div>
      <PageHeader
        title={t('calendar.title')}
        intro={t('calendar.intro')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => open(panel)}>
              {t('calendar.setDayButton')}
            </Button>
          )
        }
      />
      {!writable && <Alert type="info" showIcon title={t('calendar.readOnly')} style={{ marginBottom: 12 }} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card>
            <Calendar
              value={panel}
              onPanelChange={(d) => setPanel(d)}
              onSelect={(d, info) => {
                setPanel(d);
                if (info.source === 'date') open(d);
              }}
              cellRender={(d, info) => (info.type === 'date' ? cell(d) : info.originNode)}
            />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card
            title={t('calendar.listTitle', { year })}
            extra={
              <Space size={4}>
                <span className="cal-cell-tag cal-holiday">{t('calendar.holiday')}</span>
                <span className="cal-cell-tag cal-workday">{t('calendar.workday')}</span>
              </Space>
            }
          >
            <Table<CalendarDay>
              rowKey="date"
              size="small"
              loading={days.isLoading}
              dataSource={days.data?.items ?? []}
              locale={{ emptyText: t('calendar.empty') }}
              pagination={{ pageSize: 15, hideOnSinglePage: true, size: 'small' }}
              onRow={(r) => ({ onDoubleClick: () => open(dayjs(r.date)) })}
              columns={[
                {
                  title: t('calendar.date'),
                  dataIndex: 'date',
                  render: (v: string) => (
                    <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setPanel(dayjs(v))}>
                      {v}
                    </Button>
                  ),
                },
                {
                  title: t('calendar.kind'),
                  dataIndex: 'kind',
                  render: (k: CalendarDay['kind']) => (
                    <span className={`cal-cell-tag cal-${k}`}>
                      {k === 'holiday' ? t('calendar.holiday') : t('calendar.workday')}
                    </span>
                  ),
                },
                { title: t('calendar.note'), dataIndex: 'note', render: (v: string | null) => v ?? '' },
                ...(writable
                  ? [
                      {
                        title: t('common.actions'),
                        key: 'a',
                        width: 60,
                        render: (_: unknown, r: CalendarDay) => (
                          <Popconfirm
                            title={t('calendar.clear')}
                            okText={t('common.ok')}
                            cancelText={t('common.cancel')}
                            onConfirm={() => clear.mutateAsync(r.date).catch(() => undefined)}
                          >
                            <Button size="small" icon={<DeleteOutlined />} aria-label={t('calendar.clear')} />
                          </Popconfirm>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Modal
        open={!!editing}
        title={editing ? t('calendar.setDay', { date: editing.format('YYYY-MM-DD') }) : ''}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item name="date" label={t('calendar.date')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} onChange={(d) => d && setEditing(d)} />
          </Form.Item>
          <Form.Item name="kind" label={t('calendar.kind')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'normal', label: t('calendar.normal') },
                { value: 'holiday', label: t('calendar.holiday') },
                { value: 'workday', label: t('calendar.workday') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={t('calendar.note')}>
            <Input maxLength={100} placeholder={t('calendar.notePlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
