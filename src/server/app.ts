/**
 * The live server's HTTP side (fastify): agent ingest, the analyst API, the OpenAPI document.
 *
 * Rules it keeps: a token for everything but /api/v1/health; agent tokens only send events, the
 * analyst token only reads and sets states; no GET writes anything; bodies are bounded before and
 * after gzip (413); a batch is answered after it is committed, or with 429 + Retry-After when the
 * server is behind; every reply is JSON with `<`, `>` and `&` escaped and no-sniff headers.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { gunzip, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { Detector } from '../detect/types.js';
import { THREAT_STATES, type AgentRegistry, type ThreatQuery, type ThreatState, type ThreatStore } from '../store/threats.js';
import type { CaseStore, Store } from '../store/types.js';
import { requireRole } from './auth.js';
import { safeJson } from './json.js';
import { BrokenError, BusyError, LiveIngest } from './live.js';
import { openApi } from './openapi.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

export interface ServerOptions {
  caseStore: CaseStore;
  /** The whole store, so that the web UI can browse every case (live events go to `caseStore`). */
  store?: Store;
  threats: ThreatStore;
  agents: AgentRegistry;
  detectors: Detector[];
  /** Largest request body as sent, in bytes (default 16 MiB). */
  bodyLimit?: number;
  /** Largest ingest body once decompressed (default 8 x bodyLimit, at most 256 MiB). */
  decodedLimit?: number;
  maxQueuedEvents?: number;
  groupEvents?: number;
  version?: string;
  log?(msg: string): void;
}

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const THREAT_ID = /^t[0-9a-f]{16}$/;

function intParam(v: unknown, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v) || Number(v) > max) throw Object.assign(new Error(`${name} must be a whole number from 0 to ${max}`), { statusCode: 400 });
  return Number(v);
}

export async function buildServer(o: ServerOptions): Promise<{ app: FastifyInstance; live: LiveIngest }> {
  const bodyLimit = o.bodyLimit ?? 16 * 1024 * 1024;
  const decodedLimit = o.decodedLimit ?? Math.min(256 * 1024 * 1024, 8 * bodyLimit);
  const version = o.version ?? '0.1.0';
  const live = new LiveIngest({ caseStore: o.caseStore, threats: o.threats, detectors: o.detectors, maxQueuedEvents: o.maxQueuedEvents, groupEvents: o.groupEvents, log: o.log });
  const app = Fastify({ bodyLimit: 64 * 1024, logger: false, trustProxy: false, return503OnClosing: true });

  app.setReplySerializer((payload) => safeJson(payload));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cache-Control', 'no-store');
    reply.header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) o.log?.(`error: ${err.message}`);
    const kind = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : status === 400 ? 'bad_request' : status === 404 ? 'not_found' : status >= 500 ? 'server_error' : 'error';
    void reply.code(status).send({ error: kind, message: status >= 500 ? 'internal error' : err.message });
  });
  app.setNotFoundHandler((_req, reply) => void reply.code(404).send({ error: 'not_found', message: 'no such route' }));

  const agentOnly = requireRole(o.agents, ['agent']);
  const analyst = requireRole(o.agents, ['analyst']);
  const anyToken = requireRole(o.agents, ['agent', 'analyst']);

  app.get('/api/v1/health', async () => ({ status: live.isBroken ? 'stopped' : 'ok', version, queued: live.queued }));

  const doc = openApi(version, bodyLimit);
  app.get('/api/v1/openapi.json', { preHandler: anyToken }, async () => doc);

  // Ingest has its own body handling: raw bytes up to bodyLimit, whatever the content type.
  await app.register(async (sub) => {
    sub.removeAllContentTypeParsers();
    sub.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));
    sub.post('/api/v1/ingest', { preHandler: agentOnly, bodyLimit }, async (req: FastifyRequest, reply: FastifyReply) => {
      const raw = req.body;
      if (!Buffer.isBuffer(raw)) return reply.code(400).send({ error: 'bad_request', message: 'send NDJSON in the body' });
      const keyHeader = req.headers['idempotency-key'];
      const key = typeof keyHeader === 'string' ? keyHeader : undefined;
      if (key !== undefined && !KEY.test(key)) return reply.code(400).send({ error: 'bad_request', message: 'Idempotency-Key: 1-128 of A-Z a-z 0-9 . _ : -' });
      const enc = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      let body: Buffer;
      try {
        if (enc === 'gzip' || enc === 'x-gzip') body = await gunzipAsync(raw, { maxOutputLength: decodedLimit });
        else if (enc === 'deflate') body = await inflateAsync(raw, { maxOutputLength: decodedLimit });
        else if (enc === 'identity' || enc === '') body = raw;
        else return reply.code(415).send({ error: 'unsupported_media_type', message: `Content-Encoding ${enc.slice(0, 40)} is not read (gzip, deflate or none)` });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
          return reply.code(413).send({ error: 'payload_too_large', message: `the body decompresses to more than ${decodedLimit} bytes` });
        return reply.code(400).send({ error: 'bad_request', message: `cannot decompress the body: ${e.message}` });
      }
      if (body.length > decodedLimit) return reply.code(413).send({ error: 'payload_too_large', message: `the body is more than ${decodedLimit} bytes` });
      const caller = req.caller!;
      try {
        return await live.submit(caller.id, caller.name, body.toString('utf8'), key);
      } catch (err) {
        if (err instanceof BusyError) {
          reply.header('Retry-After', String(err.retryAfterSeconds));
          return reply.code(429).send({ error: 'too_many_requests', message: `behind by ${live.queued} events; send the same batch again after ${err.retryAfterSeconds} s` });
        }
        if (err instanceof BrokenError) return reply.code(503).send({ error: 'unavailable', message: err.message });
        throw err;
      }
    });
  });

  app.get('/api/v1/hosts', { preHandler: analyst }, async () => ({ hosts: o.threats.hosts() }));

  app.get('/api/v1/threats', { preHandler: analyst }, async (req) => {
    const q = req.query as Record<string, unknown>;
    const query: ThreatQuery = {};
    if (q.state !== undefined) {
      if (!(THREAT_STATES as readonly unknown[]).includes(q.state)) throw Object.assign(new Error(`state must be one of ${THREAT_STATES.join(', ')}`), { statusCode: 400 });
      query.state = q.state as ThreatState;
    }
    if (q.host !== undefined) {
      if (typeof q.host !== 'string' || q.host.length > 255) throw Object.assign(new Error('host must be a name'), { statusCode: 400 });
      query.host = q.host;
    }
    if (q.open !== undefined) {
      if (q.open !== 'true' && q.open !== 'false') throw Object.assign(new Error('open must be true or false'), { statusCode: 400 });
      query.open = q.open === 'true';
    }
    query.limit = intParam(q.limit, 'limit', 1000) ?? 100;
    query.offset = intParam(q.offset, 'offset');
    return { total: o.threats.countThreats({ ...query, limit: undefined, offset: undefined }), threats: o.threats.listThreats(query) };
  });

  app.get('/api/v1/threats/:id', { preHandler: analyst }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const q = req.query as Record<string, unknown>;
    const t = THREAT_ID.test(id) ? o.threats.threat(id) : undefined;
    if (!t) return reply.code(404).send({ error: 'not_found', message: 'no such threat' });
    const limit = intParam(q.hitsLimit, 'hitsLimit', 1000) ?? 1000;
    const offset = intParam(q.hitsOffset, 'hitsOffset') ?? 0;
    return { threat: t, hits: o.threats.hits(t.chainId, limit, offset), hitTotal: o.threats.hitCount(t.chainId), states: o.threats.stateHistory(id) };
  });

  app.post('/api/v1/threats/:id/state', { preHandler: analyst }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = req.body as { state?: unknown; note?: unknown } | undefined;
    if (!b || typeof b !== 'object' || !(THREAT_STATES as readonly unknown[]).includes(b.state))
      return reply.code(400).send({ error: 'bad_request', message: `send {"state": one of ${THREAT_STATES.join(', ')}, "note": optional text}` });
    if (b.note !== undefined && (typeof b.note !== 'string' || b.note.length > 4000)) return reply.code(400).send({ error: 'bad_request', message: 'note must be text of at most 4000 characters' });
    const change = THREAT_ID.test(id) ? o.threats.setState(id, b.state as ThreatState, req.caller!.name, b.note as string | undefined) : undefined;
    if (!change) return reply.code(404).send({ error: 'not_found', message: 'no such threat' });
    return change;
  });

  await app.register((await import('./ui/index.js')).uiRoutes, o); // web UI: read-only /api/v1/ui/* (analyst token) and web/dist at /
  app.addHook('onClose', async () => {
    await live.drain();
  });
  return { app, live };
}
