/**
 * The built front end (web/dist) served at `/`. Files are read once at start into memory and served
 * by exact path from that table, so no request path ever reaches the file system (no traversal).
 * Pages carry a strict Content-Security-Policy: scripts, styles and connections from this origin
 * only, no inline script, no plugins, no framing; so even a string from evidence that slipped into
 * markup could not run.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** web/dist beside the package: from src/server/ui, dist/server/ui or dist/src/server/ui. */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'web', 'dist'), join(here, '..', '..', '..', '..', 'web', 'dist')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? candidates[0]!;
}

interface StaticFile {
  body: Buffer;
  type: string;
  /** Vite names assets by content hash: they never change under the same name. */
  immutable: boolean;
}

function readTree(root: string, dir = root, out = new Map<string, StaticFile>(), budget = { files: 500, bytes: 64 * 1024 * 1024 }): Map<string, StaticFile> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) readTree(root, p, out, budget);
    else if (st.isFile() && TYPES[extname(name)] && budget.files-- > 0 && (budget.bytes -= st.size) > 0) {
      const url = `/${relative(root, p).split(sep).join('/')}`;
      out.set(url, { body: readFileSync(p), type: TYPES[extname(name)]!, immutable: url.startsWith('/assets/') });
    }
  }
  return out;
}

/** Registers `/` and one route per built file. Without a build, `/` says how to make one. */
export function registerStatic(app: FastifyInstance, root = defaultWebRoot()): number {
  const files = existsSync(join(root, 'index.html')) ? readTree(root) : new Map<string, StaticFile>();
  app.addHook('onSend', async (req, reply, payload) => {
    const config = req.routeOptions.config as { page?: boolean; immutable?: boolean } | undefined;
    if (!config?.page) return payload;
    if (config.immutable && reply.statusCode === 200) reply.header('Cache-Control', 'public, max-age=31536000, immutable');
    reply.header('Content-Security-Policy', PAGE_CSP);
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    return payload;
  });
  const index = files.get('/index.html');
  app.get('/', { config: { page: true } }, async (_req, reply) => {
    if (!index) return reply.code(404).type('text/plain; charset=utf-8').send('The web UI is not built here: run `npm run build` (it builds web/dist).\n');
    return reply.type(index.type).send(index.body);
  });
  for (const [url, f] of files) {
    if (url === '/index.html') continue;
    app.get(url, { config: { page: true, immutable: f.immutable } }, async (_req, reply) => reply.type(f.type).send(f.body));
  }
  return files.size;
}
