import { LockOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  List,
  Select,
  Space,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLUE_DISPOSAL_KINDS,
  CLUE_SOURCES,
  CLUE_STATUSES,
  type ClueDisposalKind,
  type ClueSource,
  type ClueStatus,
} from '../../../../domain/clues';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { formatTime } from '../../lib/time';
import { FormModal } from '../rounds/FormModal';
import { useOrgOptions, ymd } from '../supervision/shared';
import type { Paged } from '../supervision/types';

interface ClueSummary {
  id: number;
  roundUnitId: number;
  roundName: string;
  unitName: string;
  problemNumber: string | null;
  senderOrgName: string;
  sentByName: string | null;
  receivingOrgName: string;
  source: ClueSource;
  status: ClueStatus;
  sentAt: number;
  receivedByName: string | null;
  receivedAt: number | null;
  disposalKind: ClueDisposalKind | null;
  disposalDate: string | null;
  disposedByName: string | null;
  version: number;
  side: 'sender' | 'receiver';
}

interface ClueDetail extends ClueSummary {
  title: string;
  content: string;
  persons: string[];
  disposalNote: string | null;
}

const STATUS_COLOR: Record<ClueStatus, string> = { sent: 'gold', received: 'processing', disposed: 'success' };

/** 问题线索 (SPEC M9, §2): confidential referrals; a list shows metadata only, reading one is audited. */
export default function CluesPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [status, setStatus] = useState<ClueStatus | undefined>();
  const [sending, setSending] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const q = useQuery({
    queryKey: ['clues', { status }],
    queryFn: () => api.get<Paged<ClueSummary>>('/clues', { status, limit: 200 }),
  });
  return (
    <div>
      <PageHeader title={t('supervision.clue.title')} intro={t('supervision.clue.intro')} />
      <Alert
        type="warning"
        showIcon
        icon={<LockOutlined />}
        title={t('supervision.clue.confidential')}
        style={{ marginBottom: 16 }}
        data-testid="clue-confidential"
      />
      <div className="toolbar">
        <Select
          allowClear
          aria-label={t('supervision.filterStatus')}
          placeholder={t('supervision.filterStatus')}
          value={status}
          onChange={setStatus}
          options={CLUE_STATUSES.map((s) => ({ value: s, label: t(`supervision.clue.status.${s}`) }))}
          style={{ width: 160 }}
        />
        {can('clue.send') && (
          <Button type="primary" icon={<SendOutlined />} onClick={() => setSending(true)} data-testid="clue-send">
            {t('supervision.clue.send')}
          </Button>
        )}
      </div>
      <List<ClueSummary>
        bordered
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        data-testid="clues-list"
        locale={{ emptyText: <Empty description={t('supervision.clue.none')} /> }}
        renderItem={(c) => (
          <List.Item data-testid={`clue-row-${c.id}`}>
            <div className="period-row">
              <div style={{ minWidth: 0, flex: '1 1 240px' }}>
                <Space wrap size={4}>
                  <Tag color={STATUS_COLOR[c.status]}>{t(`supervision.clue.status.${c.status}`)}</Tag>
                  <Typography.Text strong>{c.unitName}</Typography.Text>
                  <Typography.Text type="secondary">{c.roundName}</Typography.Text>
                  {c.problemNumber && <Typography.Text type="secondary">{c.problemNumber}</Typography.Text>}
                  <Tag>{t(`supervision.clue.sources.${c.source}`)}</Tag>
                  {c.disposalKind && <Tag color="success">{t(`supervision.clue.disposalKinds.${c.disposalKind}`)}</Tag>}
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.side === 'sender' ? `→ ${c.receivingOrgName} · ` : ''}
                    {t('supervision.clue.sentBy', {
                      org: c.senderOrgName,
                      who: c.sentByName ?? '',
                      time: formatTime(c.sentAt),
                    })}
                  </Typography.Text>
                </div>
              </div>
              <Button
                type={c.side === 'receiver' && c.status !== 'disposed' ? 'primary' : 'default'}
                icon={<LockOutlined />}
                onClick={() => setOpenId(c.id)}
                data-testid={`clue-open-${c.id}`}
              >
                {t('supervision.clue.open')}
              </Button>
            </div>
          </List.Item>
        )}
      />
      {can('clue.send') && <SendClueModal open={sending} onClose={() => setSending(false)} />}
      <ClueDrawer clueId={openId} onClose={() => setOpenId(null)} />
    </div>
  );
}

interface SendForm {
  roundUnitId: number;
  problemId?: number;
  receivingOrgId: number;
  source: ClueSource;
  title: string;
  content: string;
  persons: string[];
}

function SendClueModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [roundUnitId, setRoundUnitId] = useState<number | undefined>();
  const supervisors = useOrgOptions('supervisor', open);
  const discipline = useOrgOptions('discipline_office', open);
  const ledger = useQuery({
    queryKey: ['clue-ledger'],
    enabled: open,
    queryFn: () =>
      api.get<{
        items: {
          roundUnitId: number;
          unitName: string;
          roundName: string;
          problemId: number;
          problemNumber: string;
          problemDescription: string;
        }[];
      }>('/ledger', { limit: 200, sort: 'unit' }),
  });
  const roundUnits = new Map<number, string>();
  const problems = new Map<number, string>();
  for (const m of ledger.data?.items ?? []) {
    roundUnits.set(m.roundUnitId, `${m.unitName} · ${m.roundName}`);
    if (m.roundUnitId === roundUnitId) problems.set(m.problemId, `${m.problemNumber} ${m.problemDescription}`);
  }
  const send = useMutation({
    mutationFn: (v: SendForm) =>
      api.post('/clues', {
        roundUnitId: v.roundUnitId,
        problemId: v.problemId ?? null,
        receivingOrgId: v.receivingOrgId,
        source: v.source,
        title: v.title.trim(),
        content: v.content.trim(),
        persons: v.persons.map((p) => p.trim()).filter(Boolean),
      }),
    onSuccess: () => {
      toast('success', t('supervision.clue.sent'));
      void qc.invalidateQueries({ queryKey: ['clues'] });
      onClose();
    },
    onError: (e) => handleWriteError(e),
  });
  const req = (field: string) => [{ required: true, message: t('common.required', { field }) }];
  return (
    <FormModal<SendForm>
      open={open}
      title={t('supervision.clue.send')}
      onCancel={onClose}
      onFinish={(v) => send.mutate(v)}
      busy={send.isPending}
      width={640}
      okText={t('supervision.clue.send')}
      initialValues={{ source: 'talk' }}
    >
      <Alert
        type="warning"
        showIcon
        icon={<LockOutlined />}
        title={t('supervision.clue.confidential')}
        style={{ marginBottom: 12 }}
      />
      <Form.Item
        name="roundUnitId"
        label={t('supervision.clue.roundUnit')}
        rules={req(t('supervision.clue.roundUnit'))}
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          loading={ledger.isLoading}
          onChange={(v: number) => setRoundUnitId(v)}
          options={[...roundUnits].map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="problemId" label={t('supervision.clue.problem')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          options={[...problems].map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item
          name="receivingOrgId"
          label={t('supervision.clue.receiver')}
          rules={req(t('supervision.clue.receiver'))}
        >
          <Select
            style={{ width: 300 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={[...(discipline.data ?? []), ...(supervisors.data ?? [])]}
          />
        </Form.Item>
        <Form.Item name="source" label={t('supervision.clue.source')} rules={req(t('supervision.clue.source'))}>
          <Select
            style={{ width: 200 }}
            options={CLUE_SOURCES.map((s) => ({ value: s, label: t(`supervision.clue.sources.${s}`) }))}
          />
        </Form.Item>
      </Space>
      <Form.Item
        name="title"
        label={t('supervision.clue.titleField')}
        rules={[
          {
            required: true,
            whitespace: true,
            message: t('common.required', { field: t('supervision.clue.titleField') }),
          },
        ]}
      >
        <Input maxLength={200} autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="content"
        label={t('supervision.clue.content')}
        rules={[
          { required: true, whitespace: true, message: t('common.required', { field: t('supervision.clue.content') }) },
        ]}
      >
        <Input.TextArea maxLength={20000} autoSize={{ minRows: 3, maxRows: 10 }} />
      </Form.Item>
      <Form.Item
        name="persons"
        label={t('supervision.clue.persons')}
        extra={t('supervision.clue.personsHint')}
        rules={[{ required: true, message: t('common.required', { field: t('supervision.clue.persons') }) }]}
      >
        <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} />
      </Form.Item>
    </FormModal>
  );
}

function ClueDrawer({ clueId, onClose }: { clueId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['clue', clueId],
    enabled: clueId !== null,
    // Each reading is audited: read once per opening, never in the background.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    refetchOnWindowFocus: false,
    queryFn: () => api.get<ClueDetail>(`/clues/${clueId}`),
  });
  const c = q.data;
  const refresh = () => {
    void q.refetch();
    void qc.invalidateQueries({ queryKey: ['clues'] });
  };
  const receive = useMutation({
    mutationFn: () => api.post(`/clues/${c!.id}/receive`, { version: c!.version }),
    onSuccess: () => {
      toast('success', t('supervision.clue.received'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const dispose = useMutation({
    mutationFn: (v: { kind: ClueDisposalKind; date: Dayjs; note: string }) =>
      api.post(`/clues/${c!.id}/dispose`, {
        version: c!.version,
        kind: v.kind,
        date: ymd(v.date),
        note: v.note.trim(),
      }),
    onSuccess: () => {
      toast('success', t('supervision.clue.disposed'));
      refresh();
    },
    onError: (e) => handleWriteError(e, refresh),
  });
  const receiver = c?.side === 'receiver' && can('clue.receive');
  return (
    <Drawer
      open={clueId !== null}
      onClose={onClose}
      title={t('supervision.clue.detail')}
      size={640}
      destroyOnHidden
      loading={q.isLoading}
      data-testid="clue-drawer"
    >
      <Alert
        type="warning"
        showIcon
        icon={<LockOutlined />}
        title={t('supervision.clue.confidential')}
        style={{ marginBottom: 12 }}
      />
      {c && (
        <>
          <Space wrap size={4} style={{ marginBottom: 8 }}>
            <Tag color={STATUS_COLOR[c.status]}>{t(`supervision.clue.status.${c.status}`)}</Tag>
            <Tag>{t(`supervision.clue.sources.${c.source}`)}</Tag>
          </Space>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {c.title}
          </Typography.Title>
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'unit', label: t('supervision.clue.roundUnit'), children: `${c.unitName} · ${c.roundName}` },
              ...(c.problemNumber
                ? [{ key: 'p', label: t('supervision.clue.problem'), children: c.problemNumber }]
                : []),
              { key: 'recv', label: t('supervision.clue.receiver'), children: c.receivingOrgName },
              { key: 'persons', label: t('supervision.clue.persons'), children: c.persons.join('、') },
              {
                key: 'sent',
                label: t('common.status'),
                children: [
                  t('supervision.clue.sentBy', {
                    org: c.senderOrgName,
                    who: c.sentByName ?? '',
                    time: formatTime(c.sentAt),
                  }),
                  c.receivedAt
                    ? t('supervision.clue.receivedBy', { who: c.receivedByName ?? '—', time: formatTime(c.receivedAt) })
                    : null,
                ]
                  .filter(Boolean)
                  .join('；'),
              },
              ...(c.disposalKind
                ? [
                    {
                      key: 'disp',
                      label: t('supervision.clue.disposalKind'),
                      children: `${t(`supervision.clue.disposalKinds.${c.disposalKind}`)} · ${c.disposalDate ?? ''} · ${c.disposalNote ?? ''}`,
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{c.content}</Typography.Paragraph>
          {receiver && c.status === 'sent' && (
            <Button
              type="primary"
              loading={receive.isPending}
              onClick={() => receive.mutate()}
              data-testid="clue-receive"
            >
              {t('supervision.clue.receive')}
            </Button>
          )}
          {receiver && c.status === 'received' && (
            <Form<{ kind: ClueDisposalKind; date: Dayjs; note: string }>
              layout="vertical"
              initialValues={{ date: dayjs() }}
              onFinish={(v) => dispose.mutate(v)}
              data-testid="clue-dispose-form"
            >
              <Space wrap align="start">
                <Form.Item
                  name="kind"
                  label={t('supervision.clue.disposalKind')}
                  rules={[
                    { required: true, message: t('common.required', { field: t('supervision.clue.disposalKind') }) },
                  ]}
                >
                  <Select
                    style={{ width: 220 }}
                    options={CLUE_DISPOSAL_KINDS.map((k) => ({
                      value: k,
                      label: t(`supervision.clue.disposalKinds.${k}`),
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name="date"
                  label={t('supervision.clue.disposalDate')}
                  rules={[
                    { required: true, message: t('common.required', { field: t('supervision.clue.disposalDate') }) },
                  ]}
                >
                  <DatePicker format="YYYY-MM-DD" allowClear={false} />
                </Form.Item>
              </Space>
              <Form.Item
                name="note"
                label={t('supervision.clue.disposalNote')}
                rules={[
                  {
                    required: true,
                    whitespace: true,
                    message: t('common.required', { field: t('supervision.clue.disposalNote') }),
                  },
                ]}
              >
                <Input.TextArea maxLength={4000} autoSize={{ minRows: 3, maxRows: 8 }} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={dispose.isPending}>
                {t('supervision.clue.dispose')}
              </Button>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
