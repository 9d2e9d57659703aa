import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Drawer, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, download } from '../../api/client';
import { handleWriteError, showError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { formatTime } from '../../lib/time';
import type { ActionStatus, SupervisionAction } from './types';

const STATUS_COLOR: Record<ActionStatus, string> = { open: 'gold', responded: 'processing', closed: 'success' };

export function ActionStatusTag({ status }: { status: ActionStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOR[status]} data-status={status}>
      {t(`supervision.action.status.${status}`)}
    </Tag>
  );
}

/** One supervision action: what was asked, the unit's response (or its form), closing, the document. */
export function ActionDrawer({ actionId, onClose }: { actionId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['supervision-action', actionId],
    enabled: actionId !== null,
    queryFn: () => api.get<SupervisionAction>(`/supervision-actions/${actionId}`),
  });
  const a = q.data;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['supervision-action', actionId] });
    void qc.invalidateQueries({ queryKey: ['supervision-actions'] });
  };
  const respond = useMutation({
    mutationFn: (v: { text: string }) =>
      api.post<SupervisionAction>(`/supervision-actions/${a!.id}/respond`, {
        version: a!.version,
        text: v.text.trim(),
      }),
    onSuccess: () => {
      toast('success', t('supervision.action.responded'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const close = useMutation({
    mutationFn: (v: { note: string }) =>
      api.post<SupervisionAction>(`/supervision-actions/${a!.id}/close`, { version: a!.version, note: v.note.trim() }),
    onSuccess: () => {
      toast('success', t('supervision.action.closed'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const mayRespond = !!a && can('supervision.respond') && a.status === 'open';
  const mayClose = !!a && can('supervision.write') && a.status !== 'closed';
  return (
    <Drawer
      open={actionId !== null}
      onClose={onClose}
      title={t('supervision.action.detail')}
      size={640}
      destroyOnHidden
      data-testid="action-drawer"
      loading={q.isLoading}
    >
      {a && (
        <div>
          <Space wrap size={4} style={{ marginBottom: 8 }}>
            <ActionStatusTag status={a.status} />
            {a.overdue && <Tag color="error">{t('supervision.overdue')}</Tag>}
            <Typography.Text strong>{t(`supervision.action.kinds.${a.kind}`)}</Typography.Text>
          </Space>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {a.title}
          </Typography.Title>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'sup', label: t('supervision.supervisor'), children: a.supervisorName },
              { key: 'unit', label: t('supervision.unit'), children: a.unitName },
              {
                key: 'target',
                label: t('supervision.action.targetType'),
                children: [t(`supervision.action.targetTypes.${a.targetType}`), a.problemNumber, a.measureContent]
                  .filter(Boolean)
                  .join(' · '),
              },
              { key: 'date', label: t('supervision.action.date'), children: a.actionDate },
              {
                key: 'deadline',
                label: t('supervision.action.responseDeadline'),
                children: a.responseRequired ? (a.responseDeadline ?? '—') : t('supervision.action.noResponseNeeded'),
              },
              ...(a.docNumber ? [{ key: 'doc', label: t('supervision.action.docLabel'), children: a.docNumber }] : []),
            ]}
          />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }} data-testid="action-content">
            {a.content}
          </Typography.Paragraph>
          {a.hasDocument && (
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                download(`/supervision-actions/${a.id}/document.docx`, `${a.docNumber ?? a.id}.docx`).catch(showError)
              }
              data-testid="action-document"
            >
              {t('supervision.action.document')}
            </Button>
          )}
          <Typography.Title level={5}>{t('supervision.action.response')}</Typography.Title>
          {a.responseText ? (
            <div data-testid="action-response">
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 4 }}>
                {a.responseText}
              </Typography.Paragraph>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('supervision.action.respondedBy', {
                  who: a.respondedByName ?? '—',
                  time: formatTime(a.respondedAt),
                })}
              </Typography.Text>
            </div>
          ) : (
            !mayRespond && <Typography.Text type="secondary">{t('supervision.action.noResponse')}</Typography.Text>
          )}
          {mayRespond && (
            <Form<{ text: string }> layout="vertical" onFinish={(v) => respond.mutate(v)} data-testid="respond-form">
              <Form.Item
                name="text"
                label={t('supervision.action.responseText')}
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    message: t('common.required', { field: t('supervision.action.responseText') }),
                  },
                ]}
              >
                <Input.TextArea maxLength={10000} autoSize={{ minRows: 3, maxRows: 10 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={respond.isPending} data-testid="respond-submit">
                {t('supervision.action.respond')}
              </Button>
            </Form>
          )}
          {a.status === 'closed' && (
            <Alert
              style={{ marginTop: 12 }}
              type="success"
              title={t('supervision.action.closedBy', {
                who: a.closedByName ?? '—',
                time: formatTime(a.closedAt),
                note: a.closeNote ?? '',
              })}
            />
          )}
          {mayClose && (
            <Form<{ note: string }>
              layout="vertical"
              onFinish={(v) => close.mutate(v)}
              style={{ marginTop: 16 }}
              data-testid="close-form"
            >
              <Form.Item
                name="note"
                label={t('supervision.action.closeNote')}
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    message: t('common.required', { field: t('supervision.action.closeNote') }),
                  },
                ]}
              >
                <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
              </Form.Item>
              <Button htmlType="submit" loading={close.isPending} data-testid="close-submit">
                {t('supervision.action.close')}
              </Button>
            </Form>
          )}
        </div>
      )}
    </Drawer>
  );
}
