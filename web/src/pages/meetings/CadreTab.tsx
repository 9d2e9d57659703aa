import { SearchOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Form, Input, List, Row, Space, Statistic, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccountabilityKind } from '../../../../domain/meetings';
import { api } from '../../api/client';
import { formatTime } from '../../lib/time';
import { OrgSearchSelect } from '../rounds/shared';

interface Acc {
  id: number;
  kind: AccountabilityKind;
  problemNumber: string;
  roundName: string;
  personPost: string | null;
  reason: string;
  decidingOrgName: string;
  decidedOn: string;
  outcome: string | null;
  negativeListNote: string | null;
}

interface CadreRecord {
  person: { name: string; unitName: string; posts: string[] };
  talkReports: {
    id: number;
    roundName: string;
    sentToOrgName: string | null;
    summary: string | null;
    sentAt: number | null;
  }[];
  accountability: Acc[];
  negativeList: Acc[];
  responsibilities: {
    problemId: number;
    number: string;
    description: string;
    roundName: string;
    duties: string[];
    measureCount: number;
    doneCount: number;
    rectified: boolean;
  }[];
  figures: {
    records: number;
    negativeList: number;
    problems: number;
    rectifiedProblems: number;
    measures: number;
    doneMeasures: number;
  };
}

/**
 * A leading cadre's record across rounds (SPEC M12), for the organisation department's selection and
 * assessment: talk reports, accountability, the rectification of the problems the person answered
 * for, and the 政治素质负面清单 entries.
 */
export function CadreTab() {
  const { t } = useTranslation();
  const [query, setQuery] = useState<{ name: string; unitOrgId: number } | null>(null);
  const q = useQuery({
    queryKey: ['cadre-record', query],
    enabled: query !== null,
    queryFn: () => api.get<CadreRecord>('/cadres/record', query!),
  });
  const r = q.data;
  const accItem = (a: Acc) => (
    <List.Item>
      <div style={{ minWidth: 0 }}>
        <Space wrap size={4}>
          <Tag color="red">{t(`supervision.accountability.kinds.${a.kind}`)}</Tag>
          <Typography.Text>{a.decidedOn}</Typography.Text>
          <Typography.Text type="secondary">
            {a.roundName} · {a.problemNumber} · {a.decidingOrgName}
          </Typography.Text>
        </Space>
        <div>
          {a.reason}
          {a.outcome ? ` — ${a.outcome}` : ''}
        </div>
        {a.negativeListNote && <Typography.Text type="secondary">{a.negativeListNote}</Typography.Text>}
      </div>
    </List.Item>
  );
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('supervision.cadre.intro')}</Typography.Paragraph>
      <Form<{ name: string; unitOrgId: number }>
        layout="inline"
        onFinish={(v) => setQuery({ name: v.name.trim(), unitOrgId: v.unitOrgId })}
        style={{ rowGap: 8, marginBottom: 16 }}
      >
        <Form.Item
          name="name"
          label={t('supervision.cadre.name')}
          rules={[{ required: true, whitespace: true, message: t('supervision.cadre.name') }]}
        >
          <Input maxLength={100} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="unitOrgId"
          label={t('supervision.cadre.unit')}
          rules={[{ required: true, message: t('supervision.cadre.unit') }]}
        >
          <OrgSearchSelect style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="cadre-search">
          {t('supervision.cadre.search')}
        </Button>
      </Form>
      {query && q.isLoading && <Card loading />}
      {r && (
        <div data-testid="cadre-record">
          <Typography.Title level={5}>
            {r.person.name} · {r.person.unitName}
            {r.person.posts.length > 0 && ` · ${r.person.posts.join('、')}`}
          </Typography.Title>
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} md={6}>
              <Statistic title={t('supervision.cadre.problems')} value={r.figures.problems} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('supervision.cadre.rectified')}
                value={r.figures.rectifiedProblems}
                suffix={`/ ${r.figures.problems}`}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('supervision.cadre.accountability')} value={r.figures.records} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('supervision.cadre.negativeList')} value={r.figures.negativeList} />
            </Col>
          </Row>
          <Card size="small" title={t('supervision.cadre.responsibilities')} style={{ marginBottom: 12 }}>
            <List
              size="small"
              dataSource={r.responsibilities}
              locale={{ emptyText: t('supervision.none') }}
              renderItem={(p) => (
                <List.Item>
                  <Space wrap size={4}>
                    <Tag color={p.rectified ? 'success' : 'warning'}>
                      {t(p.rectified ? 'supervision.cadre.isRectified' : 'supervision.cadre.notRectified')}
                    </Tag>
                    <Typography.Text type="secondary">
                      {p.roundName} · {p.number}
                    </Typography.Text>
                    <span>{p.description}</span>
                    <Typography.Text type="secondary">
                      {t('supervision.cadre.measures', { done: p.doneCount, total: p.measureCount })}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={t('supervision.cadre.accountability')} style={{ marginBottom: 12 }}>
            <List
              size="small"
              dataSource={r.accountability}
              locale={{ emptyText: t('supervision.none') }}
              renderItem={accItem}
            />
          </Card>
          <Card size="small" title={t('supervision.cadre.negativeList')} style={{ marginBottom: 12 }}>
            <List
              size="small"
              dataSource={r.negativeList}
              locale={{ emptyText: t('supervision.none') }}
              renderItem={accItem}
            />
          </Card>
          <Card size="small" title={t('supervision.cadre.talkReports')}>
            <List
              size="small"
              dataSource={r.talkReports}
              locale={{ emptyText: <Empty description={t('supervision.none')} /> }}
              renderItem={(x) => (
                <List.Item>
                  <div>
                    <Typography.Text type="secondary">
                      {[x.roundName, x.sentToOrgName, x.sentAt ? formatTime(x.sentAt) : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </Typography.Text>
                    {x.summary && <div style={{ whiteSpace: 'pre-wrap' }}>{x.summary}</div>}
                  </div>
                </List.Item>
              )}
            />
          </Card>
        </div>
      )}
    </div>
  );
}
