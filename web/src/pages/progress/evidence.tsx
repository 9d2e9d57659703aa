import { DeleteOutlined, DownloadOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Space, Tooltip, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCEPT_ATTRIBUTE } from '../../../../domain/evidence';
import { download, isApiError, upload } from '../../api/client';
import { showError, toast } from '../../api/feedback';
import { formatTime } from '../../lib/time';
import type { EvidenceFile } from './types';

/** 1234567 → "1.2 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file name that downloads it (as an attachment, through the API so that errors are shown). */
export function FileLink({ file, testId }: { file: EvidenceFile; testId?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Tooltip
      title={`${formatSize(file.size)}${file.createdAt ? ` · ${formatTime(file.createdAt)}` : ''} · SM3 ${file.sm3.slice(0, 16)}…`}
    >
      <Button
        type="link"
        size="small"
        icon={<DownloadOutlined />}
        loading={busy}
        aria-label={t('progress.files.downloadOne', { name: file.name })}
        data-testid={testId ?? `file-download-${file.id}`}
        style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'start', wordBreak: 'break-all' }}
        onClick={async () => {
          setBusy(true);
          try {
            await download(`/files/${file.id}/content`, file.name);
          } catch (e) {
            showError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {file.name}
      </Button>
    </Tooltip>
  );
}

/** Files as download links, one a line. */
export function FileList({ files, empty }: { files: EvidenceFile[]; empty?: string }) {
  const { t } = useTranslation();
  if (!files.length) return <Typography.Text type="secondary">{empty ?? t('progress.files.none')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
      {files.map((f) => (
        <FileLink key={f.id} file={f} />
      ))}
    </Space>
  );
}

interface Uploading {
  uid: string;
  name: string;
  percent: number;
}

/**
 * Evidence files of one round-unit: the ones attached (download, remove) and an upload button limited
 * to the allowed kinds. Each upload shows its progress; a refusal shows the server's reason.
 */
export function EvidenceUpload(props: {
  roundUnitId: number;
  value: EvidenceFile[];
  onChange: (files: EvidenceFile[]) => void;
  disabled?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [uploading, setUploading] = useState<Uploading[]>([]);
  const [failed, setFailed] = useState<{ name: string; detail: string }[]>([]);
  const { value, onChange } = props;
  // Several uploads finish one after another: each adds to the list as it is then.
  const valueLatest = useRef(value);
  valueLatest.current = value;
  const onChangeLatest = useRef(onChange);
  onChangeLatest.current = onChange;

  return (
    <div data-testid={props.testId} className="evidence-upload">
      {value.length > 0 && (
        <ul className="evidence-list">
          {value.map((f) => (
            <li key={f.id}>
              <PaperClipOutlined aria-hidden />
              <FileLink file={f} />
              <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                {formatSize(f.size)}
              </Typography.Text>
              {!props.disabled && (
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('progress.files.remove', { name: f.name })}
                  onClick={() => onChange(value.filter((x) => x.id !== f.id))}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {uploading.map((u) => (
        <div key={u.uid} className="evidence-progress">
          <Typography.Text ellipsis style={{ maxWidth: '100%' }}>
            {u.name}
          </Typography.Text>
          <Progress percent={u.percent} size="small" status="active" aria-label={t('progress.files.uploading')} />
        </div>
      ))}
      {failed.map((f) => (
        <Alert
          key={f.name}
          type="error"
          showIcon
          closable={{ onClose: () => setFailed((list) => list.filter((x) => x.name !== f.name)) }}
          title={`${f.name}：${f.detail}`}
          style={{ margin: '4px 0', padding: '4px 8px' }}
          data-testid="upload-error"
        />
      ))}
      {!props.disabled && (
        <Upload
          accept={ACCEPT_ATTRIBUTE}
          multiple
          showUploadList={false}
          customRequest={async (opts) => {
            const file = opts.file as File & { uid: string };
            setFailed((list) => list.filter((x) => x.name !== file.name));
            setUploading((list) => [...list, { uid: file.uid, name: file.name, percent: 0 }]);
            try {
              const saved = await upload<EvidenceFile>(`/round-units/${props.roundUnitId}/files`, file, (percent) =>
                setUploading((list) => list.map((u) => (u.uid === file.uid ? { ...u, percent } : u))),
              );
              opts.onSuccess?.(saved);
              if (saved.duplicates)
                toast('warning', t('progress.files.duplicate', { name: saved.name, count: saved.duplicates }));
              valueLatest.current = [...valueLatest.current, saved];
              onChangeLatest.current(valueLatest.current);
            } catch (e) {
              opts.onError?.(e as Error);
              const detail = isApiError(e) ? e.detail : String(e);
              setFailed((list) => [...list, { name: file.name, detail }]);
              showError(e);
            } finally {
              setUploading((list) => list.filter((u) => u.uid !== file.uid));
            }
          }}
        >
          <Button icon={<UploadOutlined />} data-testid={props.testId ? `${props.testId}-button` : undefined}>
            {t('progress.files.upload')}
          </Button>
        </Upload>
      )}
      {!props.disabled && (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
          {t('progress.files.accept', { list: ACCEPT_ATTRIBUTE.replaceAll(',', ' ') })}
        </Typography.Text>
      )}
    </div>
  );
}
