/**
 * The entity graph, walked from a starting point (an alert, a search hit, a node): double-click a
 * node (or press "Expand neighbours") to pull in a capped page of its neighbours; "Show parents"
 * backtracks a process's ancestors. Node and edge details with occurrences on the right; edge
 * types can be switched off. The browser only ever holds what was pulled in.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import Sigma from 'sigma';
import { casePath, get } from '../api';
import { addNeighbours, addNode, LEVEL_COLORS, TYPE_COLORS, newGraph, type CaseGraph, type EdgeAttrs, type NodeAttrs } from '../graph-model';
import type { EdgeDetail, EdgeTypeCounts, Neighbours, NodeDetail, NodeSummary } from '../types';
import { EDGE_TYPES } from '../../../src/graph/types';
import { EntityChip, fmtNum, fmtTime, href, LevelBadge, Props, useGet } from '../util';

const PAGE = 25;
const ALL_EDGE_TYPES: readonly string[] = EDGE_TYPES;
/** As in Beagle: image loads are many and rarely the story; off until asked for. */
const OFF_BY_DEFAULT = ['loaded'];

type Selection = { kind: 'node' | 'edge'; id: string } | undefined;

export function GraphView({ caseId, params }: { caseId: number; params: Record<string, string> }) {
  const graph = useMemo<CaseGraph>(() => newGraph(), []);
  const container = useRef<HTMLDivElement>(null);
  const sigma = useRef<Sigma<NodeAttrs, EdgeAttrs> | undefined>(undefined);
  const [drawError, setDrawError] = useState<string>();
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<Selection>();
  const [hidden, setHidden] = useState<Set<string>>(() => new Set(OFF_BY_DEFAULT));
  const hiddenRef = useRef(hidden);
  const selectedRef = useRef<Selection>(undefined);
  const [more, setMore] = useState<Record<string, { shown: number; total: number; types: string }>>({});
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const bump = () => setVersion((v) => v + 1);
  const base = casePath(caseId, '');

  const enabledTypes = () => ALL_EDGE_TYPES.filter((t) => !hiddenRef.current.has(t));

  async function expand(id: string, offset = 0) {
    setBusy(`Expanding…`);
    setError(undefined);
    try {
      const types = enabledTypes();
      const r = await get<Neighbours>(`${base}/nodes/${id}/neighbours`, { types: types.join(','), limit: PAGE, offset });
      addNode(graph, r.node);
      addNeighbours(graph, id, r.nodes, r.edges);
      setMore((m) => ({ ...m, [id]: { shown: offset + r.edges.length, total: r.total, types: types.join(',') } }));
      bump();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  /** Follows `launched` edges backwards from a process to its oldest known ancestor. */
  async function backtrack(id: string) {
    setBusy('Following parents…');
    setError(undefined);
    try {
      let at = id;
      for (let step = 0; step < 64; step++) {
        const r = await get<Neighbours>(`${base}/nodes/${at}/neighbours`, { types: 'launched', direction: 'in', limit: 1 });
        addNode(graph, r.node);
        if (!r.edges.length) break;
        addNeighbours(graph, at, r.nodes, r.edges);
        const parent = r.edges[0]!.src;
        if (parent === at) break;
        at = parent;
      }
      bump();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  }

  async function start(id: string) {
    if (!graph.hasNode(id)) await expand(id);
    select({ kind: 'node', id });
  }

  function select(s: Selection) {
    selectedRef.current = s;
    setSelected(s);
    sigma.current?.refresh();
  }

  // The drawing: sigma on the graphology graph (WebGL). Without WebGL the lists below still work.
  useEffect(() => {
    if (!container.current) return;
    let made: Sigma<NodeAttrs, EdgeAttrs>;
    try {
      made = new Sigma(graph, container.current, {
        renderEdgeLabels: false,
        enableEdgeEvents: true,
        defaultEdgeType: 'arrow',
        labelRenderedSizeThreshold: 4,
        labelDensity: 1,
        zIndex: true,
        nodeReducer: (node, data) => {
          const sel = selectedRef.current;
          if (sel?.kind === 'node' && sel.id === node) return { ...data, highlighted: true, zIndex: 1 };
          return data;
        },
        edgeReducer: (edge, data) => {
          if (hiddenRef.current.has(data.etype)) return { ...data, hidden: true };
          const sel = selectedRef.current;
          if (sel?.kind === 'edge' && sel.id === edge) return { ...data, color: '#1f4e99', size: data.size + 2 };
          return data;
        },
      });
    } catch (e) {
      setDrawError(`The graph cannot be drawn here (${(e as Error).message.slice(0, 200)}); the lists below still work.`);
      return;
    }
    const s = made;
    sigma.current = s;
    s.on('clickNode', ({ node }) => select({ kind: 'node', id: node }));
    s.on('clickEdge', ({ edge }) => select({ kind: 'edge', id: edge }));
    s.on('doubleClickNode', (e) => {
      e.preventSigmaDefault();
      void expand(e.node);
    });
    s.on('clickStage', () => select(undefined));
    return () => {
      s.kill();
      sigma.current = undefined;
    };
  }, []);

  useEffect(() => {
    hiddenRef.current = hidden;
    sigma.current?.refresh();
  }, [hidden]);

  // A starting node from the address (an alert's node, a search hit, a process).
  useEffect(() => {
    if (params.node && /^[0-9a-f]{16}$/.test(params.node)) void start(params.node);
  }, [params.node]);

  const nodes: NodeSummary[] = [];
  graph.forEachNode((_id, a) => nodes.push(a.summary));
  const visibleEdges = graph.filterEdges((_e, a) => !hidden.has(a.etype)).length;

  return (
    <section class="graph-view">
      <aside class="graph-left">
        <Search caseId={caseId} onPick={(n) => void start(n.id)} />
        <h3>Relations shown</h3>
        <ul class="toggles">
          {ALL_EDGE_TYPES.map((t) => (
            <li key={t}>
              <label>
                <input
                  type="checkbox"
                  checked={!hidden.has(t)}
                  onChange={() =>
                    setHidden((h) => {
                      const n = new Set(h);
                      if (n.has(t)) n.delete(t);
                      else n.add(t);
                      return n;
                    })
                  }
                />{' '}
                {t}
              </label>
            </li>
          ))}
        </ul>
        <button
          onClick={() => {
            graph.clear();
            setMore({});
            select(undefined);
            bump();
          }}
        >
          Clear the graph
        </button>
      </aside>
      <div class="graph-main">
        <div class="graph-status" aria-live="polite">
          {fmtNum(graph.order)} entities, {fmtNum(visibleEdges)} relations shown
          {busy && <span class="muted"> · {busy}</span>}
          {error && <span class="error-text"> · {error}</span>}
          {graph.order === 0 && <span class="muted"> · start from an alert, a threat, a process or a search on the left</span>}
        </div>
        {drawError && <p class="muted">{drawError}</p>}
        <div class="sigma" ref={container} data-version={version} />
        <Legend />
        <details class="visible-list" open>
          <summary>Entities in the graph ({fmtNum(graph.order)})</summary>
          <table>
            <tbody>
              {nodes.slice(0, 500).map((n) => (
                <tr key={n.id} class={selected?.kind === 'node' && selected.id === n.id ? 'selected' : ''}>
                  <td>{n.type}</td>
                  <td>
                    <button class="link node-pick" onClick={() => select({ kind: 'node', id: n.id })} onDblClick={() => void expand(n.id)}>
                      {n.label}
                    </button>
                  </td>
                  <td>{n.level && <LevelBadge level={n.level} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </div>
      <aside class="graph-right">
        {selected?.kind === 'node' && (
          <NodePanel
            caseId={caseId}
            id={selected.id}
            more={more[selected.id]}
            onExpand={(offset) => void expand(selected.id, offset)}
            onBacktrack={() => void backtrack(selected.id)}
            onHide={() => {
              if (graph.hasNode(selected.id)) graph.dropNode(selected.id);
              select(undefined);
              bump();
            }}
            onEdge={(id) => select({ kind: 'edge', id })}
            graph={graph}
          />
        )}
        {selected?.kind === 'edge' && <EdgePanel caseId={caseId} id={selected.id} onNode={(id) => select({ kind: 'node', id })} />}
        {!selected && <p class="muted">Click an entity or a relation to see it here; double-click an entity to pull in its neighbours.</p>}
      </aside>
    </section>
  );
}

function Legend() {
  return (
    <div class="legend">
      {Object.entries(TYPE_COLORS).map(([t, c]) =>
        t === 'Alert' ? null : (
          <span key={t}>
            <i style={{ background: c }} /> {t}
          </span>
        ),
      )}
      {Object.entries(LEVEL_COLORS).map(([l, c]) => (
        <span key={l}>
          <i style={{ background: c }} /> alert {l}
        </span>
      ))}
    </div>
  );
}

function Search({ caseId, onPick }: { caseId: number; onPick(n: NodeSummary): void }) {
  const [q, setQ] = useState('');
  const [asked, setAsked] = useState('');
  const l = useGet<{ hits: { node: NodeSummary; snippet: string }[] }>(asked ? casePath(caseId, '/search') : undefined, { q: asked, limit: 50 });
  return (
    <div class="search">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(q.trim());
        }}
      >
        <label for="graph-search">Find entities</label>
        <input id="graph-search" type="search" value={q} maxLength={200} placeholder="command line, path, domain, IP…" onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button type="submit">Search</button>
      </form>
      {l.error && <p class="error-text">{l.error}</p>}
      {asked && l.data && (
        <ul class="hits">
          {l.data.hits.length === 0 && <li class="muted">Nothing found.</li>}
          {l.data.hits.map((h) => (
            <li key={h.node.id}>
              <button class="link" onClick={() => onPick(h.node)} title={h.node.key}>
                <span class="chip-type">{h.node.type}</span> {h.node.label}
              </button>
              <div class="mono small muted ellipsis">{h.snippet}</div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NodePanel(p: {
  caseId: number;
  id: string;
  more?: { shown: number; total: number; types: string };
  graph: CaseGraph;
  onExpand(offset: number): void;
  onBacktrack(): void;
  onHide(): void;
  onEdge(id: string): void;
}) {
  const l = useGet<{ node: NodeDetail; edgeTypes: EdgeTypeCounts }>(casePath(p.caseId, `/nodes/${p.id}`));
  const n = l.data?.node;
  if (!n) return l.error ? <p class="error-text">{l.error}</p> : <p class="muted">Loading…</p>;
  const counts = l.data!.edgeTypes;
  const total = Object.values(counts).reduce((s, c) => s + c.in + c.out, 0);
  const edgesHere: { id: string; type: string; other: string; out: boolean }[] = [];
  if (p.graph.hasNode(p.id))
    p.graph.forEachEdge(p.id, (e, a, src, dst) => edgesHere.push({ id: e, type: a.etype, other: src === p.id ? dst : src, out: src === p.id }));
  return (
    <div class="panel">
      <h3>
        {n.type}: {n.label}
      </h3>
      {n.level && <LevelBadge level={n.level} />}
      <p class="mono small wrap">{n.key}</p>
      <p class="muted small">
        {fmtTime(n.firstSeen)} → {fmtTime(n.lastSeen)}
      </p>
      <div class="actions">
        <button onClick={() => p.onExpand(0)}>Expand neighbours</button>
        {n.type === 'Process' && <button onClick={p.onBacktrack}>Show parents</button>}
        <button onClick={p.onHide}>Hide</button>
        {n.type === 'Process' && n.host && (
          <a class="button" href={href(p.caseId, 'processes', { host: n.host, focus: n.id })}>
            Process tree
          </a>
        )}
      </div>
      {p.more && p.more.total > p.more.shown && (
        <p class="notice" role="status">
          Showing {fmtNum(p.more.shown)} of {fmtNum(p.more.total)} relations.{' '}
          <button class="link" onClick={() => p.onExpand(p.more!.shown)}>
            Load {Math.min(PAGE, p.more.total - p.more.shown)} more
          </button>
        </p>
      )}
      {p.more && p.more.total <= p.more.shown && <p class="muted small">All {fmtNum(p.more.total)} relations of the shown types are in the graph.</p>}
      <h4>Relations ({fmtNum(total)})</h4>
      <table class="small">
        <tbody>
          {Object.entries(counts).map(([t, c]) => (
            <tr key={t}>
              <td>{t}</td>
              <td class="num">{c.out ? `${fmtNum(c.out)} out` : ''}</td>
              <td class="num">{c.in ? `${fmtNum(c.in)} in` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {edgesHere.length > 0 && (
        <>
          <h4>In the graph</h4>
          <ul class="small edge-list">
            {edgesHere.slice(0, 100).map((e) => (
              <li key={e.id}>
                <button class="link" onClick={() => p.onEdge(e.id)}>
                  {e.out ? '→' : '←'} {e.type} {p.graph.hasNode(e.other) ? p.graph.getNodeAttribute(e.other, 'summary').label : ''}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Properties</h4>
      <Props obj={n.props} />
    </div>
  );
}

function EdgePanel({ caseId, id, onNode }: { caseId: number; id: string; onNode(id: string): void }) {
  const l = useGet<EdgeDetail>(casePath(caseId, `/edges/${id}`));
  const d = l.data;
  if (!d) return l.error ? <p class="error-text">{l.error}</p> : <p class="muted">Loading…</p>;
  return (
    <div class="panel">
      <h3>{d.edge.type}</h3>
      <p>
        {d.src && (
          <button class="link" onClick={() => onNode(d.src!.id)}>
            {d.src.type}: {d.src.label}
          </button>
        )}{' '}
        →{' '}
        {d.dst && (
          <button class="link" onClick={() => onNode(d.dst!.id)}>
            {d.dst.type}: {d.dst.label}
          </button>
        )}
      </p>
      <p class="muted small">
        {fmtNum(d.total)} times, {fmtTime(d.edge.firstSeen)} → {fmtTime(d.edge.lastSeen)}
      </p>
      <h4>
        Occurrences{d.total > d.occurrences.length ? ` (first ${d.occurrences.length})` : ''}
      </h4>
      <table class="small">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {d.occurrences.map((o) => (
            <tr key={`${o.eventId}:${o.seq}`}>
              <td class="nowrap">
                <a href={href(caseId, 'timeline', { from: o.time })}>{fmtTime(o.time)}</a>
              </td>
              <td class="mono wrap">{o.details ? Object.entries(o.details).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('  ') : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.src && d.dst && (
        <p>
          <EntityChip n={d.src} caseId={caseId} /> <EntityChip n={d.dst} caseId={caseId} />
        </p>
      )}
    </div>
  );
}
