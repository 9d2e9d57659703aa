import { CalendarOutlined, CloseOutlined, SwapOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEASURE_TRANSITIONS, type MeasureStatus } from '../../../../domain/rectification';
import { api, isApiError } from '../../api/client';
import { showError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { FormModal } from '../rounds/FormModal';
import { EDITABLE_MEASURE_STATUSES, type LedgerRow, type Measure } from './types';
import { UserSelect } from './UserSelect';

type Action = 'status' | 'owner' | 'deadline';

const FAILURE_CODES = [
  'NOT_FOUND',
  'ROUND_UNIT_CLOSED',
  'CONFLICT_STALE',
  'INVALID_TRANSITION',
  'MEASURE_LOCKED',
  'EXTENSION_REQUIRED',
  'INVALID_REFERENCE',
] as const;

/**
 * Bulk changes to the selected measures (one status, owner or deadline change, all or nothing). The
 * status menu offers only the moves legal from every selected row's status; the versions read are
 * sent, so a row changed meanwhile fails the whole request, and each failing row is listed.
 */
export function BulkBar(props: { rows: LedgerRow[]; onDone: () => void; onClear: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [action, setAction] = useState<Action | null>(null);
  const [failures, setFailures] = useState<{ id: number; code: string }[] | null>(null);
  const n = props.rows.length;

  const editable = EDITABLE_MEASURE_STATUSES as readonly MeasureStatus[];
  const common = editable.filter((to) =>
    props.rows.every((r) => editable.includes(r.status) && MEASURE_TRANSITIONS[r.status].includes(to)),
  );

  const run = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post<{ updated: number; items: Measure[] }>('/measures/bulk', {
        ids: props.rows.map((r) => r.id),
        versions: Object.fromEntries(props.rows.map((r) => [String(r.id), r.version])),
        ...body,
      }),
    onSuccess: (r) => {
      toast('success', t('ledger.bulk.done', { count: r.updated }));
      setAction(null);
      props.onDone();
      void qc.invalidateQueries({ queryKey: ['ledger'] });
      void qc.invalidateQueries({ queryKey: ['dashboard'] });
    },
    onError: (e) => {
      if (isApiError(e) && e.code === 'BULK_REJECTED' && Array.isArray(e.body.failures)) {
        setAction(null);
        setFailures(e.body.failures as { id: number; code: string }[]);
        void qc.invalidateQueries({ queryKey: ['ledger'] });
        return;
      }
      showError(e);
    },
  });

  const failureText = (code: string) =>
    (FAILURE_CODES as readonly string[]).includes(code)
      ? t(`ledger.bulk.failure.${code as (typeof FAILURE_CODES)[number]}`)
      : t('ledger.bulk.failure.other', { code });
  const byId = new Map(props.rows.map((r) => [r.id, r]));

  return (
    <div
      className="toolbar no-print"
      data-testid="bulk-bar"
      style={{ background: '#fff7e6', padding: 8, borderRadius: 6 }}
    >
      <Typography.Text strong>{t('ledger.sheet.selected', { count: n })}</Typography.Text>
      <Button icon={<SwapOutlined />} onClick={() => setAction('status')} data-testid="bulk-status">
        {t('ledger.bulk.status')}
      </Button>
      <Button icon={<UserOutlined />} onClick={() => setAction('owner')}>
        {t('ledger.bulk.owner')}
      </Button>
      <Button icon={<CalendarOutlined />} onClick={() => setAction('deadline')}>
        {t('ledger.bulk.deadline')}
      </Button>
      <Button icon={<CloseOutlined />} type="text" onClick={props.onClear}>
        {t('ledger.sheet.clearSelection')}
      </Button>

      <FormModal<{ to: MeasureStatus; note?: string }>
        open={action === 'status'}
        title={t('ledger.bulk.statusTitle', { count: n })}
        onCancel={() => setAction(null)}
        onFinish={(v) => run.mutate({ action: 'status', to: v.to, note: v.note?.trim() || undefined })}
        busy={run.isPending}
        okText={t('common.confirm')}
        testId="bulk-status-save"
      >
        {common.length === 0 ? (
          <Alert type="warning" showIcon title={t('ledger.bulk.noCommonMove')} />
        ) : (
          <Form.Item name="to" label={t('ledger.bulk.to')} rules={[{ required: true }]}>
            <Select options={common.map((s) => ({ value: s, label: t(`ledger.measureStatus.${s}`) }))} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('ledger.bulk.note')}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </FormModal>

      <FormModal<{ ownerName?: string; ownerUserId?: number | null }>
        open={action === 'owner'}
        title={t('ledger.bulk.ownerTitle', { count: n })}
        onCancel={() => setAction(null)}
        onFinish={(v) =>
          run.mutate({
            action: 'owner',
            ownerName: v.ownerName?.trim() || null,
            ...(v.ownerUserId !== undefined ? { ownerUserId: v.ownerUserId } : {}),
          })
        }
        busy={run.isPending}
        okText={t('common.confirm')}
      >
        <Form.Item name="ownerName" label={t('ledger.measure.ownerName')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="ownerUserId" label={t('ledger.measure.ownerUser')}>
          <UserSelect />
        </Form.Item>
      </FormModal>

      <FormModal<{ deadline: Dayjs }>
        open={action === 'deadline'}
        title={t('ledger.bulk.deadlineTitle', { count: n })}
        onCancel={() => setAction(null)}
        onFinish={(v) => run.mutate({ action: 'deadline', deadline: v.deadline.format('YYYY-MM-DD') })}
        busy={run.isPending}
        okText={t('common.confirm')}
      >
        {!can('extension.decide') && (
          <Alert type="info" showIcon title={t('ledger.bulk.deadlineHint')} style={{ marginBottom: 12 }} />
        )}
        <Form.Item
          name="deadline"
          label={t('ledger.measure.originalDeadline')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.measure.deadline') }) }]}
        >
          <DatePicker style={{ width: 200 }} />
        </Form.Item>
      </FormModal>

      <Modal
        open={!!failures}
        title={t('ledger.bulk.rejected')}
        onCancel={() => setFailures(null)}
        onOk={() => setFailures(null)}
        okText={t('common.close')}
        cancelButtonProps={{ style: { display: 'none' } }}
        width={640}
      >
        <Table
          size="small"
          rowKey="id"
          pagination={(failures?.length ?? 0) > 10 ? { pageSize: 10 } : false}
          dataSource={failures ?? []}
          columns={[
            {
              title: t('ledger.sheet.col.problemNumber'),
              key: 'row',
              width: 160,
              render: (_: unknown, f) => {
                const r = byId.get(f.id);
                return r ? `${r.unitName} ${r.problemNumber}-${r.seq}` : `#${f.id}`;
              },
            },
            { title: t('errors.message'), dataIndex: 'code', render: failureText },
          ]}
        />
      </Modal>
    </div>
  );
}
