import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Empty, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { MEETING_ATTENDEE_SIDES, MEETING_NOTE_KINDS, type MeetingNoteKind } from '../../../../domain/meetings';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import { useCan } from '../../app/auth';
import { formatTime } from '../../lib/time';

interface Attendee {
  name: string;
  orgId: number;
  orgName: string | null;
  side: 'discipline' | 'organisation';
}

interface Note {
  id: number;
  kind: MeetingNoteKind;
  content: string;
  authorName: string | null;
  authorOrgName: string | null;
  createdAt: number;
}

interface Detail {
  id: number;
  unitName: string;
  roundName: string;
  dueDate: string;
  plannedDate: string;
  heldOn: string | null;
  plan: string | null;
  report: string | null;
  attendees: Attendee[];
  problemsFound: string | null;
  measuresDecided: string | null;
  reviewNote: string | null;
  notes: Note[];
}

/** The supervising bodies a meeting's attendees come from (纪委监委 and 组织部 sides), as Select options. */
export function useAttendeeOrgs(enabled: boolean) {
  return useQuery({
    queryKey: ['democratic-meetings', 'attendee-orgs'],
    enabled,
    queryFn: async () =>
      (await api.get<{ items: { id: number; name: string }[] }>('/democratic-meetings/attendee-orgs')).items.map(
        (o) => ({ value: o.id, label: o.name }),
      ),
  });
}

/** Form.List of attendees: name, organisation, side (纪委监委 / 组织部). */
export function AttendeeFields({ orgs }: { orgs: { value: number; label: string }[] }) {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('supervision.meeting.attendees')}>
      <Form.List name="attendees">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} wrap align="baseline">
                <Form.Item
                  name={[f.name, 'name']}
                  rules={[{ required: true, whitespace: true, message: t('supervision.meeting.attendeeName') }]}
                >
                  <Input placeholder={t('supervision.meeting.attendeeName')} maxLength={100} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item
                  name={[f.name, 'orgId']}
                  rules={[{ required: true, message: t('supervision.meeting.attendeeOrg') }]}
                >
                  <Select
                    showSearch={{ optionFilterProp: 'label' }}
                    placeholder={t('supervision.meeting.attendeeOrg')}
                    options={orgs}
                    style={{ width: 200 }}
                  />
                </Form.Item>
                <Form.Item name={[f.name, 'side']} rules={[{ required: true, message: t('supervision.meeting.side') }]}>
                  <Select
                    placeholder={t('supervision.meeting.side')}
                    options={MEETING_ATTENDEE_SIDES.map((s) => ({
                      value: s,
                      label: t(`supervision.meeting.sides.${s}`),
                    }))}
                    style={{ width: 120 }}
                  />
                </Form.Item>
                <MinusCircleOutlined aria-label={t('common.delete')} onClick={() => remove(f.name)} />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
              {t('supervision.meeting.addAttendee')}
            </Button>
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

/**
 * One 民主生活会 in full: plan, the leadership's report, who attended for the discipline commission and
 * the organisation department, outcomes, and the guidance and supervision notes (added here by the
 * supervising bodies).
 */
export function MeetingDrawer({ meetingId, onClose }: { meetingId: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ kind: MeetingNoteKind; content: string }>();
  const q = useQuery({
    queryKey: ['democratic-meeting', meetingId],
    enabled: meetingId !== null,
    queryFn: () => api.get<Detail>(`/democratic-meetings/${meetingId}`),
  });
  const addNote = useMutation({
    mutationFn: (v: { kind: MeetingNoteKind; content: string }) =>
      api.post(`/democratic-meetings/${meetingId}/notes`, { kind: v.kind, content: v.content.trim() }),
    onSuccess: () => {
      toast('success', t('supervision.meeting.noteAdded'));
      form.resetFields();
      void q.refetch();
      void qc.invalidateQueries({ queryKey: ['democratic-meetings'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const m = q.data;
  const text = (v: string | null) => (v ? <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span> : '—');
  return (
    <Drawer
      open={meetingId !== null}
      onClose={onClose}
      title={m ? `${m.unitName} · ${m.roundName}` : t('supervision.meeting.detail')}
      size={720}
      destroyOnHidden
      loading={q.isLoading}
      data-testid="meeting-drawer"
    >
      {m && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('supervision.meeting.dueLabel')}>{m.dueDate}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.plannedDate')}>{m.plannedDate}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.heldOn')}>{m.heldOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.planText')}>{text(m.plan)}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.report')}>{text(m.report)}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.attendees')}>
              {m.attendees.length ? (
                <Space wrap size={4} data-testid="meeting-attendees">
                  {m.attendees.map((a) => (
                    <Tag key={`${a.name}-${a.orgId}-${a.side}`}>
                      {a.name} · {a.orgName ?? '—'} · {t(`supervision.meeting.sides.${a.side}`)}
                    </Tag>
                  ))}
                </Space>
              ) : (
                '—'
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.problemsFound')}>
              {text(m.problemsFound)}
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.measuresDecided')}>
              {text(m.measuresDecided)}
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.meeting.reviewNote')}>{text(m.reviewNote)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('supervision.meeting.notes')}
          </Typography.Title>
          <List<Note>
            bordered
            size="small"
            dataSource={m.notes}
            data-testid="meeting-notes"
            locale={{ emptyText: <Empty description={t('supervision.meeting.noNotes')} /> }}
            renderItem={(n) => (
              <List.Item>
                <div style={{ minWidth: 0 }}>
                  <Space wrap size={4}>
                    <Tag color={n.kind === 'guidance' ? 'blue' : 'purple'}>
                      {t(`supervision.meeting.noteKinds.${n.kind}`)}
                    </Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[n.authorOrgName, n.authorName, formatTime(n.createdAt)].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </Space>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{n.content}</div>
                </div>
              </List.Item>
            )}
          />
          {can('meeting.supervise') && (
            <Form
              form={form}
              layout="vertical"
              style={{ marginTop: 12 }}
              initialValues={{ kind: 'guidance' }}
              onFinish={(v) => addNote.mutate(v)}
            >
              <Form.Item name="kind" label={t('supervision.meeting.noteKind')}>
                <Select
                  options={MEETING_NOTE_KINDS.map((k) => ({
                    value: k,
                    label: t(`supervision.meeting.noteKinds.${k}`),
                  }))}
                  style={{ width: 160 }}
                />
              </Form.Item>
              <Form.Item
                name="content"
                label={t('supervision.meeting.noteContent')}
                rules={[{ required: true, whitespace: true, message: t('supervision.meeting.noteContent') }]}
              >
                <Input.TextArea rows={3} maxLength={10000} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={addNote.isPending} data-testid="meeting-note-add">
                {t('supervision.meeting.addNote')}
              </Button>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
