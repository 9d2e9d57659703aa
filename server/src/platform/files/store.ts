import type { Readable } from 'node:stream';

/**
 * Where evidence bytes live (SPEC M6, §4): one interface, two stores. Blobs are content-addressed by
 * their SM3 digest (64 lower-case hex), so the same file uploaded twice is stored once.
 *
 * An upload is first *staged*: streamed to a temporary file beside the store while its SM3 digest and
 * size are computed, with a hard size limit. The caller then inspects the staged file (type sniffing,
 * archive checks) and either commits it — durable under its digest before the database row is written —
 * or discards it. A stream that errors or is cut off leaves nothing behind.
 */
export interface StagedBlob {
  readonly sm3: string;
  readonly size: number;
  /** The staged bytes on local disk, for inspection before commit. */
  readonly path: string;
  /** Makes the blob durable under `sm3` (temp + fsync + rename locally; a PUT to S3). Idempotent per digest. */
  commit(): Promise<void>;
  /**
   * Takes a commit back when the database row that was to name the blob could not be written, so
   * that a failed upload keeps nothing: removes the blob if this commit stored it, no other upload of
   * the same bytes is staged, and `named()` finds no row naming it. Otherwise (and always on S3,
   * shared by instances) the blob stays — an unnamed blob costs space, a missing one loses evidence.
   */
  retract(named: () => Promise<boolean>): Promise<void>;
  /** Removes the staged bytes and ends the upload; safe to call twice and after commit. */
  discard(): Promise<void>;
}

export interface OpenedBlob {
  readonly size: number;
  /** The bytes, already checked against their digest. */
  stream(): Readable;
  /** Frees what opening took (a verified temporary copy, for S3). */
  close(): Promise<void>;
}

export interface FileStore {
  readonly kind: 'local' | 's3';
  /** Streams `source` to a staged file; rejects with StoreLimitError past `maxBytes` (and cleans up). */
  stage(source: Readable, maxBytes: number): Promise<StagedBlob>;
  has(sm3: string): Promise<boolean>;
  /**
   * Opens a blob after checking every byte against its digest (SPEC: integrity on every read).
   * Throws StoreIntegrityError when the bytes do not match, StoreMissingError when absent.
   */
  open(sm3: string): Promise<OpenedBlob>;
  /** Every digest in the store (for the integrity sweep and tests). */
  list(): AsyncIterable<string>;
  /**
   * Removes staged or downloaded temporary files older than `olderThanMs` — what a process killed
   * mid-upload left behind (a live upload's file is younger). Returns how many were removed.
   */
  sweepTemporary(olderThanMs: number, now?: number): Promise<number>;
}

export class StoreLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}
export class StoreIntegrityError extends Error {
  constructor(
    readonly sm3: string,
    readonly actual: string,
  ) {
    super(`blob ${sm3} hashes to ${actual}`);
  }
}
export class StoreMissingError extends Error {
  constructor(readonly sm3: string) {
    super(`blob ${sm3} is missing`);
  }
}

export const isDigest = (s: string) => /^[0-9a-f]{64}$/.test(s);
