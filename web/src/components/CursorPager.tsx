import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Previous/next over a keyset-paged list (the server gives nextCursor and total, not page offsets). */
export function CursorPager(props: {
  page: number;
  total: number | undefined;
  hasNext: boolean;
  pageSize: number;
  onPrev: () => void;
  onNext: () => void;
  onPageSize: (n: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <Space wrap style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
      {props.total !== undefined && (
        <Typography.Text type="secondary">{t('common.total', { count: props.total })}</Typography.Text>
      )}
      <Button icon={<LeftOutlined />} disabled={props.page <= 1} onClick={props.onPrev}>
        {t('common.prevPage')}
      </Button>
      <Typography.Text>{t('common.page', { page: props.page })}</Typography.Text>
      <Button disabled={!props.hasNext} onClick={props.onNext}>
        {t('common.nextPage')}
        <RightOutlined />
      </Button>
      <Select
        aria-label={t('common.perPage', { n: props.pageSize })}
        value={props.pageSize}
        onChange={props.onPageSize}
        options={[20, 50, 100].map((n) => ({ value: n, label: t('common.perPage', { n }) }))}
        style={{ width: 110 }}
      />
    </Space>
  );
}
