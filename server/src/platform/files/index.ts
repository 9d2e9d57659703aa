import type { Config } from '../../config.js';
import { LocalFileStore } from './local-store.js';
import { S3FileStore } from './s3-store.js';
import type { FileStore } from './store.js';

/** The store the configuration names (FILE_STORE=local|s3; see .env.example). */
export function createFileStore(config: Pick<Config, 'fileStore' | 's3' | 'filesDir' | 'dataDir'>): FileStore {
  if (config.fileStore === 's3' && config.s3) return new S3FileStore(config.s3, config.dataDir);
  return new LocalFileStore(config.filesDir);
}
