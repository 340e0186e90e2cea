/**
 * Tokens: `Authorization: Bearer <token>`. Agent tokens may only send events; the analyst token
 * reads threats and sets their states. Tokens are looked up by their SHA-256 (AgentRegistry), and
 * a look-up never writes (no "last used" stamp): a GET changes nothing, not even that.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgentInfo, AgentRegistry, TokenRole } from '../store/threats.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: AgentInfo;
  }
}

export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(h);
  return m?.[1];
}

/** A preHandler that lets through only callers with one of the roles. */
export function requireRole(registry: AgentRegistry, roles: TokenRole[]) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = bearer(req);
    const who = token ? registry.verify(token) : undefined;
    if (!who) {
      reply.header('WWW-Authenticate', 'Bearer realm="loupe"');
      await reply.code(401).send({ error: 'unauthorized', message: 'a valid token is needed (Authorization: Bearer <token>)' });
      return reply;
    }
    if (!roles.includes(who.role)) {
      await reply.code(403).send({ error: 'forbidden', message: `a ${who.role} token cannot do this` });
      return reply;
    }
    req.caller = who;
  };
}
