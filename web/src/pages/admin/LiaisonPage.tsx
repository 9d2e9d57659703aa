import { DeleteOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Modal, Popconfirm, Select, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SUPERVISOR_LINES } from '../../../../domain/roles';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { DictEntry, LiaisonLink } from '../../api/types';
import { useCan } from '../../app/auth';
import { PageHeader } from '../../components/PageHeader';
import { dictLabel } from '../../lib/dict';
import { useAllOrganisations } from '../../lib/orgs';
import { formatTime } from '../../lib/time';

type Line = (typeof SUPERVISOR_LINES)[number];

export default function LiaisonPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const [unitOrgId, setUnitOrgId] = useState<number | undefined>();
  const [supervisorOrgId, setSupervisorOrgId] = useState<number | undefined>();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<{ unitOrgId: number; supervisorOrgId: number; categories?: string[] }>();

  const orgs = useAllOrganisations(can('org.read'));
  const links = useQuery({
    queryKey: ['liaison-links', unitOrgId ?? null, supervisorOrgId ?? null],
    queryFn: () => api.get<{ items: LiaisonLink[] }>('/liaison-links', { unitOrgId, supervisorOrgId }),
  });
  const categories = useQuery({
    queryKey: ['dictionaries', 'problem_category'],
    queryFn: () => api.get<{ items: DictEntry[] }>('/dictionaries', { kind: 'problem_category', active: true }),
    enabled: can('dict.read'),
    meta: { silent: true },
  });
  const categoryLabel = useMemo(() => {
    const m = new Map<string, string>();
    for (const d of categories.data?.items ?? []) m.set(d.code, dictLabel(d));
    return m;
  }, [categories.data]);

  const orgOptions = (pred: (type: string) => boolean) =>
    (orgs.data ?? [])
      .filter((o) => pred(o.type))
      .map((o) => ({ value: o.id, label: `${o.name}${o.code ? ` · ${o.code}` : ''}` }));
  const unitOptions = orgOptions((ty) => ty === 'inspected_unit');
  const supervisorOptions = orgOptions((ty) => ty === 'supervisor' || ty === 'discipline_office');
  const anyOptions = orgOptions(() => true);

  const create = useMutation({
    mutationFn: (v: { unitOrgId: number; supervisorOrgId: number; categories?: string[] }) =>
      api.post<LiaisonLink>('/liaison-links', {
        unitOrgId: v.unitOrgId,
        supervisorOrgId: v.supervisorOrgId,
        categories: v.categories?.length ? v.categories : null,
      }),
    onSuccess: () => {
      toast('success', t('common.created'));
      setCreating(false);
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['liaison-links'] });
    },
    onError: (e) => handleWriteError(e),
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.delete(`/liaison-links/${id}`),
    onSuccess: () => {
      toast('success', t('common.deleted'));
      void qc.invalidateQueries({ queryKey: ['liaison-links'] });
    },
    onError: (e) => handleWriteError(e),
  });

  const needle = q.trim().toLowerCase();
  const rows = (links.data?.items ?? []).filter(
    (l) => !needle || l.unitName.toLowerCase().includes(needle) || l.supervisorName.toLowerCase().includes(needle),
  );
  const writable = can('liaison.write');

  return (
    <div>
      <PageHeader
        title={t('liaison.title')}
        intro={t('liaison.intro')}
        extra={
          writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('liaison.create')}
            </Button>
          )
        }
      />
      <div className="toolbar">
        <Input.Search
          allowClear
          placeholder={t('common.search')}
          aria-label={t('common.search')}
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          style={{ width: 220 }}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('liaison.filterUnit')}
          aria-label={t('liaison.filterUnit')}
          value={unitOrgId}
          onChange={setUnitOrgId}
          options={anyOptions}
          style={{ width: 240 }}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('liaison.filterSupervisor')}
          aria-label={t('liaison.filterSupervisor')}
          value={supervisorOrgId}
          onChange={setSupervisorOrgId}
          options={anyOptions}
          style={{ width: 240 }}
        />
        <Button
          icon={<ReloadOutlined />}
          aria-label={t('common.refresh')}
          onClick={() => void qc.invalidateQueries({ queryKey: ['liaison-links'] })}
        />
        <Typography.Text type="secondary">{t('common.total', { count: rows.length })}</Typography.Text>
      </div>
      <Table<LiaisonLink>
        rowKey="id"
        loading={links.isLoading}
        dataSource={rows}
        scroll={{ x: 800 }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true, hideOnSinglePage: true }}
        columns={[
          { title: t('liaison.unit'), dataIndex: 'unitName' },
          { title: t('liaison.supervisor'), dataIndex: 'supervisorName' },
          {
            title: t('liaison.line'),
            dataIndex: 'supervisorLine',
            render: (v: string | null) => (v ? t(`lines.${v as Line}`, { defaultValue: v }) : '—'),
          },
          {
            title: t('liaison.categories'),
            dataIndex: 'categories',
            render: (v: string[] | null) =>
              v?.length ? v.map((c) => <Tag key={c}>{categoryLabel.get(c) ?? c}</Tag>) : t('liaison.allCategories'),
          },
          { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: number) => formatTime(v) },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, l: LiaisonLink) => (
                    <Popconfirm
                      title={t('liaison.deleteConfirm', { unit: l.unitName, supervisor: l.supervisorName })}
                      okText={t('common.delete')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() => remove.mutateAsync(l.id).catch(() => undefined)}
                    >
                      <Button size="small" danger icon={<DeleteOutlined />}>
                        {t('common.delete')}
                      </Button>
                    </Popconfirm>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={creating}
        title={t('liaison.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="unitOrgId"
            label={t('liaison.unit')}
            rules={[{ required: true, message: t('common.required', { field: t('liaison.unit') }) }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={unitOptions.length ? unitOptions : anyOptions}
            />
          </Form.Item>
          <Form.Item
            name="supervisorOrgId"
            label={t('liaison.supervisor')}
            dependencies={['unitOrgId']}
            rules={[
              { required: true, message: t('common.required', { field: t('liaison.supervisor') }) },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v && v === getFieldValue('unitOrgId')
                    ? Promise.reject(new Error(t('liaison.supervisor')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={supervisorOptions.length ? supervisorOptions : anyOptions}
            />
          </Form.Item>
          <Form.Item name="categories" label={t('liaison.categories')} extra={t('liaison.categoriesHint')}>
            <Select
              mode={categories.data?.items.length ? 'multiple' : 'tags'}
              allowClear
              options={(categories.data?.items ?? []).map((d) => ({ value: d.code, label: dictLabel(d) }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
