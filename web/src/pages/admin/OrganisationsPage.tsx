import {
  DeleteOutlined,
  EditOutlined,
  NodeExpandOutlined,
  PlusOutlined,
  ReloadOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_TYPES, SUPERVISOR_LINES } from '../../../../domain/roles';
import { api } from '../../api/client';
import { handleWriteError, toast } from '../../api/feedback';
import type { Organisation } from '../../api/types';
import { useCan } from '../../app/auth';
import { ImportDialog } from '../../components/ImportDialog';
import { PageHeader } from '../../components/PageHeader';
import { buildOrgTree, ORGS_KEY, type OrgNode, orgTreeOptions, useAllOrganisations } from '../../lib/orgs';

interface OrgForm {
  code: string;
  name: string;
  shortName?: string | null;
  type: string;
  supervisorLine?: string | null;
  parentId?: number | null;
  sort?: number;
  active?: boolean;
}

function filterTree(nodes: OrgNode[], keep: (n: OrgNode) => boolean): OrgNode[] {
  const out: OrgNode[] = [];
  for (const n of nodes) {
    const children = n.children ? filterTree(n.children, keep) : [];
    if (keep(n) || children.length) out.push({ ...n, children: children.length ? children : undefined });
  }
  return out;
}

function allKeys(nodes: OrgNode[], depth = Number.POSITIVE_INFINITY, out: number[] = []): number[] {
  for (const n of nodes) {
    if (n.children && depth > 0) {
      out.push(n.id);
      allKeys(n.children, depth - 1, out);
    }
  }
  return out;
}

export default function OrganisationsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const qc = useQueryClient();
  const orgs = useAllOrganisations();
  const [q, setQ] = useState('');
  const [type, setType] = useState<string | undefined>();
  const [expanded, setExpanded] = useState<number[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [form] = Form.useForm<OrgForm>();
  const watchedType = Form.useWatch('type', form);

  const tree = useMemo(() => buildOrgTree(orgs.data ?? []), [orgs.data]);
  const filtering = !!q.trim() || !!type;
  const shown = useMemo(() => {
    if (!filtering) return tree;
    const needle = q.trim().toLowerCase();
    return filterTree(
      tree,
      (n) =>
        (!type || n.type === type) &&
        (!needle ||
          n.name.toLowerCase().includes(needle) ||
          n.code.toLowerCase().includes(needle) ||
          (n.shortName ?? '').toLowerCase().includes(needle)),
    );
  }, [tree, q, type, filtering]);
  const expandedKeys = filtering ? allKeys(shown) : (expanded ?? allKeys(tree, 1));

  const invalidate = () => qc.invalidateQueries({ queryKey: ['organisations'] });

  const openEdit = (o: Organisation | 'new', parentId?: number | null) => {
    setEditing(o);
    setCreating(o === 'new');
    form.resetFields();
    if (o === 'new') form.setFieldsValue({ parentId: parentId ?? null, sort: 0, type: 'inspected_unit' });
    else form.setFieldsValue({ ...o, shortName: o.shortName ?? '' });
  };

  const save = useMutation({
    mutationFn: async (v: OrgForm) => {
      const body = {
        code: v.code.trim(),
        name: v.name.trim(),
        shortName: v.shortName?.trim() || null,
        type: v.type,
        supervisorLine: v.type === 'supervisor' ? (v.supervisorLine ?? null) : null,
        parentId: v.parentId ?? null,
        sort: v.sort ?? 0,
      };
      if (editing === 'new' || !editing) return api.post<Organisation>('/organisations', body);
      return api.patch<Organisation>(`/organisations/${editing.id}`, {
        ...body,
        version: editing.version,
        active: v.active,
      });
    },
    onSuccess: () => {
      toast('success', editing === 'new' ? t('common.created') : t('common.saved'));
      setEditing(null);
      void invalidate();
    },
    onError: (e) =>
      handleWriteError(e, (current) => {
        void invalidate();
        if (current && typeof current === 'object') openEdit(current as Organisation);
      }),
  });

  const remove = useMutation({
    mutationFn: (o: Organisation) => api.delete(`/organisations/${o.id}`),
    onSuccess: () => {
      toast('success', t('common.deleted'));
      void invalidate();
    },
    onError: (e) => handleWriteError(e, () => void invalidate()),
  });

  const writable = can('org.write');
  const parentOptions = useMemo(
    () => orgTreeOptions(tree, editing && editing !== 'new' ? editing.id : undefined),
    [tree, editing],
  );

  return (
    <div>
      <PageHeader
        title={t('org.title')}
        extra={
          <>
            {can('org.import') && (
              <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
                {t('org.import')}
              </Button>
            )}
            {writable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => openEdit('new')} data-testid="org-create">
                {t('org.create')}
              </Button>
            )}
          </>
        }
      />
      <div className="toolbar">
        <Input.Search
          allowClear
          placeholder={t('org.searchPlaceholder')}
          aria-label={t('org.searchPlaceholder')}
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          style={{ width: 280 }}
        />
        <Select
          allowClear
          placeholder={t('org.filterType')}
          aria-label={t('org.filterType')}
          value={type}
          onChange={setType}
          style={{ width: 200 }}
          options={ORG_TYPES.map((v) => ({ value: v, label: t(`orgTypes.${v}`) }))}
        />
        <Button icon={<NodeExpandOutlined />} onClick={() => setExpanded(allKeys(tree))} disabled={filtering}>
          {t('org.expandAll')}
        </Button>
        <Button onClick={() => setExpanded([])} disabled={filtering}>
          {t('org.collapseAll')}
        </Button>
        <Button icon={<ReloadOutlined />} onClick={() => void invalidate()} aria-label={t('common.refresh')} />
        <Typography.Text type="secondary">{t('org.count', { count: orgs.data?.length ?? 0 })}</Typography.Text>
      </div>
      <Table<OrgNode>
        rowKey="id"
        size="middle"
        loading={orgs.isLoading}
        dataSource={shown}
        scroll={{ x: 1100 }}
        expandable={{
          expandedRowKeys: expandedKeys,
          onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
          indentSize: 20,
        }}
        pagination={{ defaultPageSize: 50, showSizeChanger: true, hideOnSinglePage: true }}
        columns={[
          { title: t('org.name'), dataIndex: 'name', width: 280 },
          {
            title: t('org.code'),
            dataIndex: 'code',
            width: 140,
            render: (v: string) => <span className="mono">{v}</span>,
          },
          { title: t('org.shortName'), dataIndex: 'shortName', width: 110, render: (v: string | null) => v ?? '—' },
          {
            title: t('org.type'),
            dataIndex: 'type',
            width: 150,
            render: (v: string) => t(`orgTypes.${v as (typeof ORG_TYPES)[number]}`, { defaultValue: v }),
          },
          {
            title: t('org.supervisorLine'),
            dataIndex: 'supervisorLine',
            width: 150,
            render: (v: string | null) =>
              v ? t(`lines.${v as (typeof SUPERVISOR_LINES)[number]}`, { defaultValue: v }) : '—',
          },
          { title: t('org.sort'), dataIndex: 'sort', width: 70 },
          {
            title: t('org.active'),
            dataIndex: 'active',
            width: 90,
            render: (v: boolean) =>
              v ? <Tag color="green">{t('org.activeOn')}</Tag> : <Tag>{t('org.activeOff')}</Tag>,
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 120,
                  fixed: 'right' as const,
                  render: (_: unknown, o: OrgNode) => (
                    <Space size={4}>
                      <Tooltip title={t('common.edit')}>
                        <Button
                          size="small"
                          icon={<EditOutlined />}
                          aria-label={`${t('common.edit')} ${o.name}`}
                          onClick={() => openEdit(o)}
                        />
                      </Tooltip>
                      <Tooltip title={t('org.createChild')}>
                        <Button
                          size="small"
                          icon={<PlusOutlined />}
                          aria-label={`${t('org.createChild')} ${o.name}`}
                          onClick={() => openEdit('new', o.id)}
                        />
                      </Tooltip>
                      <Popconfirm
                        title={t('common.deleteConfirm', { name: o.name })}
                        okText={t('common.delete')}
                        cancelText={t('common.cancel')}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove.mutateAsync(o).catch(() => undefined)}
                      >
                        <Button
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          aria-label={`${t('common.delete')} ${o.name}`}
                        />
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Drawer
        open={!!editing}
        title={creating ? t('org.createTitle') : t('org.editTitle')}
        size={480}
        onClose={() => setEditing(null)}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setEditing(null)}>{t('common.cancel')}</Button>
            <Button type="primary" onClick={() => form.submit()} loading={save.isPending} data-testid="org-save">
              {t('common.save')}
            </Button>
          </Space>
        }
      >
        <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
          <Form.Item
            name="code"
            label={t('org.code')}
            rules={[
              { required: true, message: t('common.required', { field: t('org.code') }) },
              { pattern: /^[A-Za-z0-9_.-]+$/, message: t('org.codeRule') },
            ]}
          >
            <Input maxLength={64} autoFocus />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('org.name')}
            rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('org.name') }) }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="shortName" label={t('org.shortName')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item
            name="type"
            label={t('org.type')}
            rules={[{ required: true, message: t('common.required', { field: t('org.type') }) }]}
          >
            <Select options={ORG_TYPES.map((v) => ({ value: v, label: t(`orgTypes.${v}`) }))} />
          </Form.Item>
          {watchedType === 'supervisor' && (
            <Form.Item name="supervisorLine" label={t('org.supervisorLine')}>
              <Select allowClear options={SUPERVISOR_LINES.map((v) => ({ value: v, label: t(`lines.${v}`) }))} />
            </Form.Item>
          )}
          <Form.Item name="parentId" label={t('org.parent')}>
            <TreeSelect
              allowClear
              showSearch
              treeNodeFilterProp="title"
              placeholder={t('org.noParent')}
              treeData={parentOptions}
              treeDefaultExpandAll
            />
          </Form.Item>
          <Form.Item name="sort" label={t('org.sort')}>
            <InputNumber min={0} max={1000000} precision={0} style={{ width: 160 }} />
          </Form.Item>
          {editing !== 'new' && (
            <Form.Item name="active" label={t('org.active')} valuePropName="checked">
              <Switch checkedChildren={t('org.activeOn')} unCheckedChildren={t('org.activeOff')} />
            </Form.Item>
          )}
        </Form>
      </Drawer>
      <ImportDialog
        open={importing}
        what="organisations"
        onClose={() => setImporting(false)}
        onImported={() => void qc.invalidateQueries({ queryKey: ORGS_KEY })}
      />
    </div>
  );
}
