import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  List,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { RoundUnitStatus } from '../../../../domain/rectification';
import { api } from '../../api/client';
import { toast } from '../../api/feedback';
import type { Page } from '../../api/types';
import { useCan } from '../../app/auth';
import { CursorPager } from '../../components/CursorPager';
import { PageHeader } from '../../components/PageHeader';
import { dateOr, LightTag, RoundUnitStatusTag } from '../ledger/shared';
import type { UnitFigures } from '../ledger/types';
import { NotFound } from '../Results';
import { FormModal } from './FormModal';
import { OrgSearchSelect } from './shared';
import { MEMBER_ROLES, type Round, type RoundUnit, type Team } from './types';

export default function RoundPage() {
  const { t } = useTranslation();
  const { roundId } = useParams();
  const id = Number(roundId);
  const round = useQuery({
    queryKey: ['rounds', 'one', id],
    queryFn: () => api.get<Round>(`/rounds/${id}`),
    enabled: Number.isInteger(id) && id > 0,
    meta: { silent: true },
  });
  if (!Number.isInteger(id) || id <= 0 || (round.isError && !round.data)) return <NotFound />;
  if (!round.data) return <Spin style={{ display: 'block', margin: 48 }} />;
  const r = round.data;

  return (
    <div>
      <PageHeader
        title={r.name}
        extra={
          <Link to="/rounds?tab=rounds">
            <ArrowLeftOutlined /> {t('common.back')}
          </Link>
        }
      />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
          <Descriptions.Item label={t('ledger.rounds.term')}>{r.termName}</Descriptions.Item>
          <Descriptions.Item label={t('ledger.rounds.number')}>
            {t('ledger.rounds.numberLabel', { n: r.number })}
          </Descriptions.Item>
          <Descriptions.Item label={t('ledger.rounds.type')}>
            <Tag>{t(`ledger.roundTypes.${r.type}`)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('ledger.rounds.onSite')}>
            {r.onSiteStart ? `${r.onSiteStart} ~ ${dateOr(r.onSiteEnd)}` : '—'}
          </Descriptions.Item>
          {r.notes && <Descriptions.Item label={t('ledger.rounds.notes')}>{r.notes}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xxl={15}>
          <UnitsCard round={r} />
        </Col>
        <Col xs={24} xxl={9}>
          <TeamsCard round={r} />
        </Col>
      </Row>
    </div>
  );
}

// ── units of the round ──────────────────────────────────────────────────────────────────────────

function UnitsCard({ round }: { round: Round }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [cursors, setCursors] = useState<number[]>([0]);
  const [limit, setLimit] = useState(50);
  const [adding, setAdding] = useState(false);
  const after = cursors[cursors.length - 1];
  const units = useQuery({
    queryKey: ['round-units', 'round', round.id, { after, limit }],
    queryFn: () => api.get<Page<RoundUnit>>('/round-units', { roundId: round.id, after, limit }),
    placeholderData: (prev) => prev,
  });
  const lights = useQuery({
    queryKey: ['dashboard', 'units', { roundId: round.id }],
    queryFn: () => api.get<{ items: UnitFigures[] }>('/dashboard/units', { roundId: round.id }),
    enabled: can('dashboard.read'),
    select: (d) => new Map(d.items.map((u) => [u.unitOrgId, u])),
  });
  const teams = useQuery({
    queryKey: ['rounds', round.id, 'teams'],
    queryFn: () => api.get<{ items: Team[] }>(`/rounds/${round.id}/teams`),
    select: (d) => d.items,
  });
  const writable = can('round.write');
  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: ['round-units'] });
    void qc.invalidateQueries({ queryKey: ['rounds'] });
    void qc.invalidateQueries({ queryKey: ['dashboard'] });
  };

  const add = useMutation({
    mutationFn: (v: { unitOrgId: number; teamId?: number | null }) =>
      api.post<RoundUnit>(`/rounds/${round.id}/units`, { unitOrgId: v.unitOrgId, teamId: v.teamId ?? null }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setAdding(false);
      invalidate();
    },
  });
  const remove = useMutation({
    mutationFn: (ru: RoundUnit) => api.delete(`/round-units/${ru.id}`),
    onSuccess: () => {
      toast('success', t('common.deleted'));
      invalidate();
    },
  });

  return (
    <Card
      title={`${t('ledger.round.units')}（${units.data?.total ?? 0}）`}
      extra={
        writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="ru-add">
            {t('ledger.round.addUnit')}
          </Button>
        )
      }
    >
      <Table<RoundUnit>
        rowKey="id"
        size="small"
        loading={units.isLoading}
        dataSource={units.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('ledger.round.unit'),
            dataIndex: 'unitName',
            render: (v: string, r) => (
              <Link to={`/rounds/units/${r.id}`} data-testid={`ru-link-${r.id}`}>
                {v}
              </Link>
            ),
          },
          {
            title: t('ledger.ru.status'),
            dataIndex: 'status',
            width: 100,
            render: (s: RoundUnitStatus, r) => (
              <Space size={2}>
                <RoundUnitStatusTag status={s} />
                {r.cycle > 1 && <Tag>{t('ledger.ru.cycleN', { n: r.cycle })}</Tag>}
              </Space>
            ),
          },
          { title: t('ledger.round.feedbackDate'), dataIndex: 'feedbackDate', width: 110, render: dateOr },
          { title: t('ledger.round.deadline'), dataIndex: 'deadline', width: 110, render: dateOr },
          ...(can('dashboard.read')
            ? [
                {
                  title: t('ledger.round.light'),
                  key: 'light',
                  width: 130,
                  render: (_: unknown, r: RoundUnit) => {
                    const f = lights.data?.get(r.unitOrgId);
                    if (!f || r.status === 'awaiting_feedback') return '—';
                    return (
                      <Space size={4}>
                        <LightTag light={f.light} />
                        <Typography.Text type="secondary">
                          {f.rectificationRate === null ? '' : `${f.rectificationRate}%`}
                        </Typography.Text>
                      </Space>
                    );
                  },
                },
              ]
            : []),
          { title: t('ledger.round.team'), dataIndex: 'teamName', render: (v: string | null) => v ?? '—' },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 70,
                  render: (_: unknown, r: RoundUnit) =>
                    r.status === 'awaiting_feedback' ? (
                      <Popconfirm
                        title={t('ledger.round.removeUnitConfirm', { name: r.unitName })}
                        okText={t('ledger.round.remove')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove.mutateAsync(r).catch(() => undefined)}
                      >
                        <Button
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={`${t('ledger.round.remove')} ${r.unitName}`}
                        />
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <CursorPager
        page={cursors.length}
        total={units.data?.total}
        hasNext={units.data?.nextCursor != null}
        pageSize={limit}
        onPrev={() => setCursors((c) => c.slice(0, -1))}
        onNext={() => units.data?.nextCursor != null && setCursors((c) => [...c, units.data!.nextCursor!])}
        onPageSize={(n) => {
          setLimit(n);
          setCursors([0]);
        }}
      />
      <FormModal<{ unitOrgId: number; teamId?: number | null }>
        open={adding}
        title={t('ledger.round.addUnitTitle')}
        onCancel={() => setAdding(false)}
        onFinish={(v) => add.mutate(v)}
        busy={add.isPending}
        okText={t('common.create')}
        testId="ru-add-save"
      >
        <Form.Item
          name="unitOrgId"
          label={t('ledger.round.unit')}
          rules={[{ required: true, message: t('common.required', { field: t('ledger.round.unit') }) }]}
        >
          <OrgSearchSelect
            type="inspected_unit"
            placeholder={t('ledger.round.unitPlaceholder')}
            exclude={(units.data?.items ?? []).map((u) => u.unitOrgId)}
          />
        </Form.Item>
        <Form.Item name="teamId" label={t('ledger.round.team')}>
          <Select
            allowClear
            placeholder={t('ledger.round.noTeam')}
            options={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
          />
        </Form.Item>
      </FormModal>
    </Card>
  );
}

// ── teams and members ─────────────────────────────────────────────────────────────────────────

interface MemberForm {
  name: string;
  post?: string;
  memberRole: (typeof MEMBER_ROLES)[number];
  sourceOrgId?: number | null;
}

function TeamsCard({ round }: { round: Round }) {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const writable = can('round.write');
  const [creating, setCreating] = useState(false);
  const [memberOf, setMemberOf] = useState<Team | null>(null);
  const teams = useQuery({
    queryKey: ['rounds', round.id, 'teams'],
    queryFn: () => api.get<{ items: Team[] }>(`/rounds/${round.id}/teams`),
    select: (d) => d.items,
  });
  const invalidate = () => qc.invalidateQueries({ queryKey: ['rounds', round.id, 'teams'] });

  const createTeam = useMutation({
    mutationFn: (v: { name: string; notes?: string }) =>
      api.post<Team>(`/rounds/${round.id}/teams`, { name: v.name.trim(), notes: v.notes?.trim() || null }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setCreating(false);
      void invalidate();
    },
  });
  const addMember = useMutation({
    mutationFn: (v: MemberForm) =>
      api.post(`/teams/${memberOf!.id}/members`, {
        name: v.name.trim(),
        post: v.post?.trim() || null,
        memberRole: v.memberRole,
        sourceOrgId: v.sourceOrgId ?? null,
      }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setMemberOf(null);
      void invalidate();
    },
  });
  const removeMember = useMutation({
    mutationFn: (memberId: number) => api.delete(`/team-members/${memberId}`),
    onSuccess: () => {
      toast('success', t('common.deleted'));
      void invalidate();
    },
  });

  return (
    <Card
      title={t('ledger.round.teams')}
      extra={
        writable && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="team-create">
            {t('ledger.round.createTeam')}
          </Button>
        )
      }
    >
      {teams.data?.length === 0 && <Empty description={t('ledger.round.noTeams')} />}
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {(teams.data ?? []).map((team) => (
          <Card
            key={team.id}
            size="small"
            type="inner"
            title={team.name}
            extra={
              writable && (
                <Button
                  size="small"
                  icon={<UserAddOutlined />}
                  onClick={() => setMemberOf(team)}
                  aria-label={`${t('ledger.round.addMember')} ${team.name}`}
                >
                  {t('ledger.round.addMember')}
                </Button>
              )
            }
          >
            {team.notes && <Typography.Paragraph type="secondary">{team.notes}</Typography.Paragraph>}
            <List
              size="small"
              locale={{ emptyText: t('ledger.round.noMembers') }}
              dataSource={[...team.members].sort(
                (a, b) => MEMBER_ROLES.indexOf(a.memberRole) - MEMBER_ROLES.indexOf(b.memberRole),
              )}
              renderItem={(m) => (
                <List.Item
                  actions={
                    writable
                      ? [
                          <Popconfirm
                            key="rm"
                            title={t('ledger.round.removeMemberConfirm', { name: m.name })}
                            okText={t('common.delete')}
                            cancelText={t('common.cancel')}
                            okButtonProps={{ danger: true }}
                            onConfirm={() => removeMember.mutateAsync(m.id).catch(() => undefined)}
                          >
                            <Button
                              size="small"
                              type="text"
                              danger
                              icon={<DeleteOutlined />}
                              aria-label={`${t('common.delete')} ${m.name}`}
                            />
                          </Popconfirm>,
                        ]
                      : undefined
                  }
                >
                  <Space wrap size={4}>
                    <Tag color={m.memberRole === 'leader' ? 'red' : undefined}>
                      {t(`ledger.memberRoles.${m.memberRole}`)}
                    </Tag>
                    <Typography.Text strong>{m.name}</Typography.Text>
                    {m.post && <Typography.Text type="secondary">{m.post}</Typography.Text>}
                    {m.sourceOrgName && <Typography.Text type="secondary">（{m.sourceOrgName}）</Typography.Text>}
                  </Space>
                </List.Item>
              )}
            />
          </Card>
        ))}
      </Space>
      <FormModal<{ name: string; notes?: string }>
        open={creating}
        title={t('ledger.round.createTeamTitle')}
        onCancel={() => setCreating(false)}
        onFinish={(v) => createTeam.mutate(v)}
        busy={createTeam.isPending}
        okText={t('common.create')}
        testId="team-save"
      >
        <Form.Item
          name="name"
          label={t('ledger.round.teamName')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('ledger.round.teamName') }) },
          ]}
        >
          <Input maxLength={100} placeholder={t('ledger.round.teamNamePlaceholder')} />
        </Form.Item>
        <Form.Item name="notes" label={t('ledger.round.teamNotes')}>
          <Input.TextArea maxLength={5000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
      </FormModal>
      <FormModal<MemberForm>
        open={!!memberOf}
        title={t('ledger.round.addMemberTitle', { team: memberOf?.name ?? '' })}
        onCancel={() => setMemberOf(null)}
        onFinish={(v) => addMember.mutate(v)}
        busy={addMember.isPending}
        okText={t('common.create')}
        initialValues={{ memberRole: 'member' }}
        testId="member-save"
      >
        <Form.Item
          name="name"
          label={t('ledger.round.memberName')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('common.required', { field: t('ledger.round.memberName') }),
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="post" label={t('ledger.round.memberPost')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="memberRole" label={t('ledger.round.memberRole')} rules={[{ required: true }]}>
          <Select options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`ledger.memberRoles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="sourceOrgId" label={t('ledger.round.sourceOrg')}>
          <OrgSearchSelect allowClear />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
