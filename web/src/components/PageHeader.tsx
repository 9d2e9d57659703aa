import { Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageHeader({ title, extra, intro }: { title: string; extra?: ReactNode; intro?: ReactNode }) {
  return (
    <>
      <div className="page-header">
        <h1>{title}</h1>
        {extra && <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>{extra}</div>}
      </div>
      {intro && (
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {intro}
        </Typography.Paragraph>
      )}
    </>
  );
}
