import { RightOutlined } from '@ant-design/icons';
import { Empty, List, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DictEntry } from '../../api/types';
import { categoryName, LightTag, MeasureStatusTag } from './shared';
import type { LedgerRow } from './types';

/** The ledger on a phone: one card per measure (a wide sheet does not fit 390px); a tap opens it. */
export function LedgerCards(props: {
  items: LedgerRow[];
  loading: boolean;
  categories: DictEntry[] | undefined;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  if (props.loading && !props.items.length) return <Spin style={{ display: 'block', margin: 24 }} />;
  if (!props.items.length) return <Empty />;
  return (
    <List
      className="ledger-cards"
      dataSource={props.items}
      data-testid="ledger-cards"
      renderItem={(r) => (
        <List.Item key={r.id} style={{ padding: 0, borderBlockEnd: 0 }}>
          <button
            type="button"
            className="ledger-card"
            onClick={() => props.onOpen(r.id)}
            data-testid={`measure-open-${r.id}`}
            aria-label={`${t('ledger.sheet.open')} ${r.problemNumber}-${r.seq}`}
          >
            <Space size={4} wrap>
              <LightTag light={r.light} />
              <MeasureStatusTag status={r.status} />
              <Typography.Text type={r.overdue ? 'danger' : 'secondary'}>
                {t('ledger.sheet.col.effectiveDeadline')} {r.effectiveDeadline}
              </Typography.Text>
            </Space>
            <Typography.Text type="secondary" className="ledger-card-problem">
              {r.problemNumber} · {categoryName(props.categories, r.categoryCode)} · {r.unitName}
            </Typography.Text>
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
              {r.problemDescription}
            </Typography.Paragraph>
            <Typography.Paragraph strong ellipsis={{ rows: 3 }} style={{ margin: 0 }}>
              {r.seq}. {r.content}
            </Typography.Paragraph>
            <span className="ledger-card-foot">
              <Typography.Text type="secondary">
                {t(`ledger.measureType.${r.type}`)}
                {r.ownerName ? ` · ${r.ownerName}` : ''}
              </Typography.Text>
              <RightOutlined aria-hidden />
            </span>
          </button>
        </List.Item>
      )}
    />
  );
}
