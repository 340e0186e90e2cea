/**
 * The web UI's side of the server: read-only JSON under /api/v1/ui (analyst token, GET only) and the
 * built front end at `/`. Registered by one line in ../app.ts.
 *
 * Never the whole graph: the browser asks for a node and a page of its neighbours (capped, with how
 * many more there are), search hits, a page of alerts or of the timeline, a bounded process tree.
 * Strings from evidence are cut to size here (shape.ts); the page renders them as text.
 */
import type { FastifyInstance } from 'fastify';
import { hostKey, nodeId } from '../../graph/keys.js';
import { EDGE_TYPES, type GraphNode } from '../../graph/types.js';
import { LEVELS, levelRank, type Alert, type Level } from '../../detect/types.js';
import { openThreatStore, THREAT_STATES, type AgentRegistry, type ThreatState, type ThreatStore } from '../../store/threats.js';
import type { CaseStore, Store } from '../../store/types.js';
import { requireRole } from '../auth.js';
import { attackMatrix } from './attack-matrix.js';
import { badRequest, int, listOf, NODE_ID, oneOf, text, THREAT_ID, time, type Query } from './params.js';
import { alertRow, bounded, clip, DETAIL_TEXT, eventRow, nodeDetail, nodeSummary, type NodeSummary } from './shape.js';
import { registerStatic } from './static.js';

export interface UiOptions {
  /** The case the server was started on. */
  caseStore: CaseStore;
  threats: ThreatStore;
  agents: AgentRegistry;
  /** The whole store: with it, every case in the database can be browsed; without, only caseStore. */
  store?: Store;
  /** Where the built front end is (default: web/dist beside the package). */
  webRoot?: string;
}

interface CaseCtx {
  id: number;
  name: string;
  cs: CaseStore;
  threats?: ThreatStore;
}

const NEIGHBOURS_DEFAULT = 25;
const NEIGHBOURS_MAX = 200;

function notFound(what: string): Error {
  return Object.assign(new Error(`no such ${what}`), { statusCode: 404 });
}

function hostMatches(a: string | undefined, host: string | undefined): boolean {
  return host === undefined || (a ?? '').toLowerCase() === host.toLowerCase();
}

export async function uiRoutes(app: FastifyInstance, o: UiOptions): Promise<void> {
  const analyst = requireRole(o.agents, ['analyst']);
  const opened = new Map<number, CaseCtx>([[o.caseStore.id, { id: o.caseStore.id, name: o.caseStore.name, cs: o.caseStore, threats: o.threats }]]);

  function caseOf(param: string): CaseCtx {
    if (!/^\d{1,9}$/.test(param)) throw badRequest('the case is its number');
    const id = Number(param);
    const known = opened.get(id);
    if (known) return known;
    const info = o.store?.listCases().find((c) => c.id === id);
    const cs = info && o.store?.findCase(info.name);
    if (!info || !cs) throw notFound('case');
    let threats: ThreatStore | undefined;
    try {
      threats = openThreatStore(o.store!, cs);
    } catch {
      threats = undefined;
    }
    const ctx = { id, name: info.name, cs, threats };
    opened.set(id, ctx);
    return ctx;
  }

  const lookup = (cs: CaseStore) => (id: string) => (NODE_ID.test(id) ? cs.node(id) : undefined);
  const alertNodeOf = (cs: CaseStore, a: Alert): string | undefined => {
    if (!a.entities?.length) return undefined;
    const id = nodeId('Alert', a.id);
    return cs.node(id) ? id : undefined;
  };

  await app.register(async (api) => {
    api.addHook('preHandler', analyst);

    api.get('/cases', async () => {
      if (o.store) {
        return {
          served: o.caseStore.id,
          cases: o.store.listCases().map((c) => ({ ...c, name: clip(c.name, 200) })),
        };
      }
      const counts = o.caseStore.counts();
      const alerts = Object.values(counts.alertsByLevel).reduce((s, n) => s + (n ?? 0), 0);
      return { served: o.caseStore.id, cases: [{ id: o.caseStore.id, name: clip(o.caseStore.name, 200), created: 0, evidence: o.caseStore.listEvidence().length, events: counts.events, alerts }] };
    });

    api.get('/cases/:case/overview', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const counts = c.cs.counts();
      const evidence = c.cs.listEvidence();
      const first = [...c.cs.events({ limit: 1 })][0];
      return {
        case: { id: c.id, name: clip(c.name, 200) },
        counts,
        firstEvent: first?.event['@timestamp'],
        evidence: evidence.slice(0, 500).map((e) => ({
          id: e.id,
          name: clip(e.name, 500),
          sha256: e.sha256,
          format: clip(e.format, 60),
          size: e.size,
          records: e.records,
          errors: e.errors,
          errorSamples: e.errorSamples.slice(0, 20).map((s) => clip(s, 1000)),
          added: e.added,
        })),
        evidenceTotal: evidence.length,
        threats: c.threats ? { total: c.threats.countThreats({}), open: c.threats.countThreats({ open: true }), new: c.threats.countThreats({ state: 'new' }) } : undefined,
      };
    });

    api.get('/cases/:case/alerts', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const q = req.query as Query;
      const level = oneOf(q, 'level', LEVELS);
      const minLevel = oneOf(q, 'minLevel', LEVELS);
      const rule = text(q, 'rule', 300);
      const host = text(q, 'host');
      const detector = text(q, 'detector', 60);
      const tech = text(q, 'technique', 20)?.toUpperCase();
      const words = text(q, 'q', 200)?.toLowerCase();
      const sort = oneOf(q, 'sort', ['level', 'time'] as const) ?? 'level';
      const limit = int(q, 'limit', 100, 500);
      const offset = int(q, 'offset', 0);
      const all = c.cs.alerts();
      const matches = all.filter(
        (a) =>
          (level === undefined || a.level === level) &&
          (minLevel === undefined || levelRank(a.level) >= levelRank(minLevel)) &&
          (rule === undefined || a.ruleId === rule) &&
          (detector === undefined || a.detector === detector) &&
          hostMatches(a.host, host) &&
          (tech === undefined || (a.techniques ?? []).some((t) => t.toUpperCase() === tech || t.toUpperCase().startsWith(`${tech}.`))) &&
          (words === undefined || `${a.title} ${a.ruleId} ${a.host ?? ''}`.toLowerCase().includes(words)),
      );
      if (sort === 'level') matches.sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.time - b.time);
      else matches.sort((a, b) => a.time - b.time);
      // Facets over every alert of the case, for the filter menus.
      const byLevel: Partial<Record<Level, number>> = {};
      const rules = new Map<string, { ruleId: string; title: string; level: Level; count: number }>();
      const hosts = new Map<string, number>();
      const detectors = new Map<string, number>();
      for (const a of all) {
        byLevel[a.level] = (byLevel[a.level] ?? 0) + 1;
        const r = rules.get(a.ruleId) ?? { ruleId: clip(a.ruleId, 300)!, title: clip(a.title, 200)!, level: a.level, count: 0 };
        r.count++;
        rules.set(a.ruleId, r);
        if (a.host) hosts.set(a.host, (hosts.get(a.host) ?? 0) + 1);
        detectors.set(a.detector, (detectors.get(a.detector) ?? 0) + 1);
      }
      const top = <T>(m: Map<string, T>, n: (x: T) => number) => [...m].sort((x, y) => n(y[1]) - n(x[1])).slice(0, 200);
      const look = lookup(c.cs);
      return {
        total: matches.length,
        alerts: matches.slice(offset, offset + limit).map((a) => alertRow(a, look, alertNodeOf(c.cs, a))),
        facets: {
          levels: byLevel,
          rules: top(rules, (r) => r.count).map(([, r]) => r),
          hosts: top(hosts, (n) => n).map(([h, count]) => ({ host: clip(h, 255), count })),
          detectors: top(detectors, (n) => n).map(([d, count]) => ({ detector: clip(d, 60), count })),
        },
      };
    });

    api.get('/cases/:case/alerts/:id', async (req) => {
      const p = req.params as { case: string; id: string };
      const c = caseOf(p.case);
      if (p.id.length > 300) throw badRequest('alert ids are short');
      const a = c.cs.alerts().find((x) => x.id === p.id);
      if (!a) throw notFound('alert');
      const row = alertRow(a, lookup(c.cs), alertNodeOf(c.cs, a), 50);
      return {
        alert: { ...row, description: clip(a.description, DETAIL_TEXT), details: bounded(a.details), events: a.events.slice(0, 200), eventTotal: a.count },
      };
    });

    api.get('/cases/:case/threats', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const q = req.query as Query;
      if (!c.threats) return { total: 0, threats: [] };
      const query = { state: oneOf(q, 'state', THREAT_STATES) as ThreatState | undefined, host: text(q, 'host'), limit: int(q, 'limit', 100, 500), offset: int(q, 'offset', 0) };
      return { total: c.threats.countThreats({ ...query, limit: undefined, offset: undefined }), threats: bounded(c.threats.listThreats(query), 2000, 500, 8) };
    });

    api.get('/cases/:case/threats/:id', async (req) => {
      const p = req.params as { case: string; id: string };
      const c = caseOf(p.case);
      const q = req.query as Query;
      const t = THREAT_ID.test(p.id) ? c.threats?.threat(p.id) : undefined;
      if (!t || !c.threats) throw notFound('threat');
      const limit = int(q, 'hitsLimit', 200, 1000);
      const offset = int(q, 'hitsOffset', 0);
      // The head process in the graph, to open the graph from a threat.
      const headNode = t.head.key ? nodeId('Process', t.head.key) : undefined;
      return {
        threat: bounded(t, DETAIL_TEXT, 1000, 8),
        graphNode: headNode && c.cs.node(headNode) ? headNode : undefined,
        hits: bounded(c.threats.hits(t.chainId, limit, offset), 2000, 1000, 6),
        hitTotal: c.threats.hitCount(t.chainId),
        states: bounded(c.threats.stateHistory(p.id), 2000, 200, 4),
      };
    });

    api.get('/cases/:case/search', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const q = req.query as Query;
      const words = text(q, 'q', 200);
      if (!words) return { hits: [] };
      const limit = int(q, 'limit', 50, 200);
      return { hits: c.cs.search(words, limit).map((h) => ({ node: nodeSummary(h.node), snippet: clip(h.snippet, 300) })) };
    });

    api.get('/cases/:case/nodes/:id', async (req) => {
      const p = req.params as { case: string; id: string };
      const c = caseOf(p.case);
      const n = NODE_ID.test(p.id) ? c.cs.node(p.id) : undefined;
      if (!n) throw notFound('node');
      const { byType } = c.cs.edgesOf(n.id, { limit: 0 });
      return { node: nodeDetail(n), edgeTypes: byType };
    });

    api.get('/cases/:case/nodes/:id/neighbours', async (req) => {
      const p = req.params as { case: string; id: string };
      const c = caseOf(p.case);
      const q = req.query as Query;
      const n = NODE_ID.test(p.id) ? c.cs.node(p.id) : undefined;
      if (!n) throw notFound('node');
      const types = listOf(q, 'types', EDGE_TYPES);
      const direction = oneOf(q, 'direction', ['in', 'out', 'both'] as const);
      const limit = int(q, 'limit', NEIGHBOURS_DEFAULT, NEIGHBOURS_MAX);
      const offset = int(q, 'offset', 0);
      const page = c.cs.edgesOf(n.id, { types, direction, limit, offset });
      const nodes = new Map<string, NodeSummary>();
      for (const e of page.edges) {
        const other = e.src === n.id ? e.dst : e.src;
        if (!nodes.has(other)) {
          const m = c.cs.node(other);
          if (m) nodes.set(other, nodeSummary(m));
        }
      }
      return {
        node: nodeSummary(n),
        total: page.total,
        more: Math.max(0, page.total - offset - page.edges.length),
        edgeTypes: page.byType,
        edges: page.edges,
        nodes: [...nodes.values()],
      };
    });

    api.get('/cases/:case/edges/:id', async (req) => {
      const p = req.params as { case: string; id: string };
      const c = caseOf(p.case);
      const q = req.query as Query;
      const e = NODE_ID.test(p.id) ? c.cs.edge(p.id) : undefined;
      if (!e) throw notFound('edge');
      const limit = int(q, 'limit', 100, 1000);
      const src = c.cs.node(e.src);
      const dst = c.cs.node(e.dst);
      return {
        edge: e,
        src: src ? nodeSummary(src) : undefined,
        dst: dst ? nodeSummary(dst) : undefined,
        occurrences: c.cs.occurrences(e.id, limit).map((x) => ({ eventId: x.eventId, seq: x.seq, time: x.time, details: bounded(x.details, 2000, 100, 4) })),
        total: e.count,
      };
    });

    api.get('/cases/:case/hosts', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const found = c.cs.findNodes({ type: 'Host', limit: 1000 });
      const hosts = new Map<string, { name: string; node?: string; alerts: number; processes?: number }>();
      for (const h of found.nodes) hosts.set(h.key, { name: clip(h.label || h.key, 255)!, node: h.id, alerts: 0 });
      for (const a of c.cs.alerts()) {
        if (!a.host) continue;
        const k = hostKey(a.host);
        const h = hosts.get(k) ?? { name: clip(a.host, 255)!, alerts: 0 };
        h.alerts++;
        hosts.set(k, h);
      }
      const list = [...hosts].slice(0, 1000).map(([k, h]) => ({ ...h, processes: c.cs.findNodes({ type: 'Process', keyPrefix: `${k}|`, limit: 0 }).total }));
      list.sort((a, b) => b.alerts - a.alerts || a.name.localeCompare(b.name));
      return { hosts: list, total: hosts.size };
    });

    api.get('/cases/:case/process-tree', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const q = req.query as Query;
      const host = text(q, 'host');
      if (!host) throw badRequest('host is needed (see /hosts)');
      const budget = int(q, 'limit', 300, 2000);
      const rootsOffset = int(q, 'rootsOffset', 0);
      const childLimit = int(q, 'children', 50, 200);
      const roots = c.cs.findNodes({ type: 'Process', keyPrefix: `${hostKey(host)}|`, withoutIncoming: 'launched', limit: Math.min(200, budget), offset: rootsOffset });
      const nodes: Record<string, ReturnType<typeof processNode>> = {};
      const queue: GraphNode[] = [...roots.nodes];
      const seen = new Set(queue.map((n) => n.id));
      let left = budget - queue.length;
      for (let i = 0; i < queue.length; i++) {
        const n = queue[i]!;
        const out = c.cs.edgesOf(n.id, { types: ['launched'], direction: 'out', limit: Math.max(0, Math.min(childLimit, left)) });
        const children: string[] = [];
        for (const e of out.edges) {
          const child = seen.has(e.dst) ? undefined : c.cs.node(e.dst);
          if (!child) continue;
          seen.add(child.id);
          children.push(child.id);
          queue.push(child);
          left--;
        }
        nodes[n.id] = processNode(c.cs, n, children, out.byType.launched?.out ?? 0, out.byType.alerted_on?.in ?? 0);
      }
      return { host: clip(host, 255), roots: roots.nodes.map((r) => r.id), rootTotal: roots.total, rootsOffset, nodes };
    });

    api.get('/cases/:case/timeline', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const q = req.query as Query;
      const host = text(q, 'host');
      const from = time(q, 'from');
      const to = time(q, 'to');
      const limit = int(q, 'limit', 100, 500);
      // Paging by time: the cursor is the last time shown and how many events at that time were.
      const cursor = text(q, 'cursor', 40);
      let start = from;
      let skip = 0;
      if (cursor) {
        const m = /^(-?\d{1,15}):(\d{1,9})$/.exec(cursor);
        if (!m) throw badRequest('cursor is what the previous page gave as next');
        start = Number(m[1]);
        skip = Number(m[2]);
      }
      const rows = [...c.cs.events({ from: start, to, host, limit: skip + limit + 1 })].slice(skip);
      const page = rows.slice(0, limit);
      let next: string | undefined;
      if (rows.length > limit) {
        const last = page[page.length - 1]!.event['@timestamp'];
        const atLast = page.filter((r) => r.event['@timestamp'] === last).length;
        next = `${last}:${last === start ? skip + atLast : atLast}`;
      }
      // Alerts between this page's start and the next page's start (the rest of the range on the last page).
      const lo = start ?? -Infinity;
      const hi = next !== undefined ? Number(next.split(':')[0]) : (to ?? Infinity);
      const alerts = c.cs
        .alerts()
        .filter((a) => hostMatches(a.host, host) && a.time >= lo && (next !== undefined ? a.time < hi : a.time <= hi))
        .sort((a, b) => a.time - b.time);
      const look = lookup(c.cs);
      return {
        events: page.map(eventRow),
        next,
        alerts: alerts.slice(0, 200).map((a) => alertRow(a, look, alertNodeOf(c.cs, a), 3)),
        alertsMore: Math.max(0, alerts.length - 200),
      };
    });

    api.get('/cases/:case/attack', async (req) => {
      const c = caseOf((req.params as { case: string }).case);
      const q = req.query as Query;
      const only = oneOf(q, 'fired', ['only', 'all'] as const) === 'only';
      return attackMatrix(c.cs.alerts(), only);
    });
  }, { prefix: '/api/v1/ui' });

  registerStatic(app, o.webRoot);
}

/** A process as the tree shows it, with its children's ids and how many alerts are on it. */
function processNode(cs: CaseStore, n: GraphNode, children: string[], childTotal: number, alerts: number) {
  const p = n.props;
  let level: Level | undefined;
  if (alerts > 0) {
    for (const e of cs.edgesOf(n.id, { types: ['alerted_on'], direction: 'in', limit: 20 }).edges) {
      const a = cs.node(e.src);
      const l = a?.props.level as Level | undefined;
      if (l && LEVELS.includes(l) && (level === undefined || levelRank(l) > levelRank(level))) level = l;
    }
  }
  return {
    ...nodeSummary(n),
    pid: typeof p.pid === 'number' ? p.pid : undefined,
    image: clip(p.executable, 1000),
    commandLine: clip(p.command_line, 2000),
    user: clip(p.user, 200),
    start: typeof p.start === 'number' ? p.start : undefined,
    end: typeof p.end === 'number' ? p.end : undefined,
    children,
    childTotal,
    alerts,
    level,
  };
}
