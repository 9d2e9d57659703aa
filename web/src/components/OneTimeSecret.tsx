import { Alert, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** A secret the server shows once (initial password, API token): big, copyable, with a warning. */
export function OneTimeSecret({ value, hint, testId }: { value: string; hint: string; testId?: string }) {
  return (
    <div>
      <Alert type="warning" showIcon title={hint} style={{ marginBottom: 12 }} />
      <Typography.Paragraph
        copyable={{ text: value }}
        className="mono"
        style={{
          fontSize: 18,
          padding: '8px 12px',
          background: '#fafafa',
          border: '1px dashed #d9d9d9',
          borderRadius: 6,
        }}
        data-testid={testId}
      >
        {value}
      </Typography.Paragraph>
    </div>
  );
}

export function OneTimeSecretModal(props: {
  open: boolean;
  title: string;
  value: string;
  hint: string;
  onClose: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={props.title}
      onOk={props.onClose}
      onCancel={props.onClose}
      okText={t('common.close')}
      cancelButtonProps={{ style: { display: 'none' } }}
      maskClosable={false}
      destroyOnHidden
    >
      <OneTimeSecret value={props.value} hint={props.hint} testId={props.testId} />
    </Modal>
  );
}
