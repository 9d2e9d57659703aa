import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

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

/**
 * Sends a prepared body: gzipped to a client that takes it, else as text. Fastify sends a string or
 * a Buffer as it is, not through the route's response schema (the route still declares the schema,
 * for the OpenAPI document and the types).
 */
export function sendPrepared(req: FastifyRequest, reply: FastifyReply, body: PreparedJson): FastifyReply {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (!acceptsGzip(req.headers['accept-encoding'])) return reply.send(body.json);
  return reply.header('content-encoding', 'gzip').send(body.gzip);
}
