import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/** A JSON body prepared once to be sent many times: as text, and gzipped for clients that take it. */
export interface PreparedJson {
  json: string;
  gzip: Buffer;
}

export async function prepareJson(value: unknown): Promise<PreparedJson> {
  const json = JSON.stringify(value);
  return { json, gzip: await gzip(json) };
}

/** Whether an Accept-Encoding header takes gzip (RFC 9110 §12.5.3: a q of 0 refuses it). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of value.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) return true;
  }
  return false;
}
