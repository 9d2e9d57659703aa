import type { Readable } from 'node:stream';
import type { FileStore, OpenedBlob, StagedBlob } from './store.js';

// Placeholder being replaced by the S3 implementation in this same change (helper task); not wired
// unless FILE_STORE=s3.
export class S3FileStore implements FileStore {
  readonly kind = 's3' as const;
  constructor(
    readonly s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string },
    readonly dataDir: string,
  ) {}
  stage(_source: Readable, _maxBytes: number): Promise<StagedBlob> {
    throw new Error('S3 store not built yet');
  }
  has(_sm3: string): Promise<boolean> {
    throw new Error('S3 store not built yet');
  }
  open(_sm3: string): Promise<OpenedBlob> {
    throw new Error('S3 store not built yet');
  }
  list(): AsyncIterable<string> {
    throw new Error('S3 store not built yet');
  }
}
