import { type ButtonProps, Form, Modal } from 'antd';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A small form in a dialog. The OK button is the form's submit button (so Enter in a field submits
 * it, and the browser's own validation order applies); the form is rebuilt each time it opens.
 */
export function FormModal<V extends object>(props: {
  open: boolean;
  title: ReactNode;
  onCancel: () => void;
  onFinish: (values: V) => void;
  initialValues?: Partial<V>;
  busy?: boolean;
  okText?: string;
  okDanger?: boolean;
  width?: number;
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const id = `f${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onCancel}
      okText={props.okText ?? t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={
        { htmlType: 'submit', form: id, danger: props.okDanger, 'data-testid': props.testId } as ButtonProps
      }
      confirmLoading={props.busy}
      width={props.width}
      destroyOnHidden
      maskClosable={false}
    >
      <Form<V>
        name={id}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={props.onFinish}
        scrollToFirstError
      >
        {props.children}
      </Form>
    </Modal>
  );
}
