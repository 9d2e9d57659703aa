import { Table } from 'antd';
import type { FieldError } from '../api/client';
import i18n from '../locales';

/** A table of row/column problems (imports, validation). */
export default function FieldErrorTable({ errors }: { errors: FieldError[] }) {
  const t = i18n.t.bind(i18n);
  const hasRows = errors.some((e) => e.row !== undefined);
  return (
    <Table<FieldError & { key: number }>
      size="small"
      pagination={errors.length > 10 ? { pageSize: 10, size: 'small' } : false}
      dataSource={errors.map((e, i) => ({ ...e, key: i }))}
      columns={[
        ...(hasRows
          ? [
              { title: t('errors.row'), dataIndex: 'row', width: 70 },
              { title: t('errors.column'), dataIndex: 'column', width: 120 },
            ]
          : [{ title: t('errors.field'), dataIndex: 'path', width: 180 }]),
        { title: t('errors.message'), dataIndex: 'message' },
      ]}
    />
  );
}
