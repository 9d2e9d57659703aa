import { ArrowLeftOutlined, FileZipOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Grid, List, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api/client';
import { formatTime } from '../../lib/time';
import { useRoundUnit } from '../rounds/shared';
import { FileLink, formatSize } from './evidence';
import type { EvidenceFile } from './types';

/**
 * 佐证材料 of one round-unit, for its supervisors (and the unit and the office): each file to download,
 * and the whole set as one zip (streamed by the server; a plain link so that the browser saves it).
 */
export default function MaterialsPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const screens = Grid.useBreakpoint();
  const ru = useRoundUnit(id);
  const files = useInfiniteQuery({
    queryKey: ['materials', id],
    queryFn: ({ pageParam }) =>
      api.get<{ items: EvidenceFile[]; nextCursor: number | string | null }>(`/round-units/${id}/files`, {
        cursor: pageParam ?? undefined,
        limit: 100,
      }),
    initialPageParam: null as number | string | null,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = files.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div data-testid="materials-page">
      <div className="page-header">
        <Space wrap align="center">
          <Link to={`/progress?tab=periods&ru=${id}`} aria-label={t('common.back')}>
            <Button type="text" icon={<ArrowLeftOutlined />} />
          </Link>
          <h1>{t('progress.materials.title', { unit: ru.data?.unitName ?? '' })}</h1>
        </Space>
        <a href={`/api/v1/round-units/${id}/materials.zip`} download data-testid="materials-zip">
          <Button type="primary" icon={<FileZipOutlined />} disabled={items.length === 0}>
            {t('progress.materials.zip')}
          </Button>
        </a>
      </div>
      {ru.data && (
        <Typography.Paragraph type="secondary">
          {ru.data.roundName} · {t('progress.materials.count', { count: items.length })}
        </Typography.Paragraph>
      )}
      {screens.md ? (
        <Table<EvidenceFile>
          rowKey="id"
          size="small"
          loading={files.isLoading}
          dataSource={items}
          pagination={false}
          data-testid="materials-table"
          locale={{ emptyText: t('progress.files.none') }}
          columns={[
            { title: t('progress.files.name'), key: 'name', render: (_: unknown, f) => <FileLink file={f} /> },
            { title: t('progress.files.kind'), dataIndex: 'kind', width: 80, render: (k: string) => <Tag>{k}</Tag> },
            { title: t('progress.files.size'), dataIndex: 'size', width: 100, render: (n: number) => formatSize(n) },
            {
              title: t('progress.files.uploadedAt'),
              dataIndex: 'createdAt',
              width: 150,
              render: (v: number) => formatTime(v),
            },
            {
              title: 'SM3',
              dataIndex: 'sm3',
              width: 140,
              render: (v: string) => (
                <Typography.Text code copyable={{ text: v }} style={{ fontSize: 12 }}>
                  {v.slice(0, 12)}…
                </Typography.Text>
              ),
            },
          ]}
        />
      ) : (
        <List<EvidenceFile>
          loading={files.isLoading}
          dataSource={items}
          data-testid="materials-table"
          locale={{ emptyText: t('progress.files.none') }}
          renderItem={(f) => (
            <List.Item>
              <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
                <FileLink file={f} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {f.kind} · {formatSize(f.size)} · {formatTime(f.createdAt)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      {files.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void files.fetchNextPage()} loading={files.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </div>
  );
}
