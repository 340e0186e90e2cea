/**
 * A host's process tree, from the graph's `launched` relations: roots (processes whose parent was
 * never seen) first, children under their parents, alerts on a process shown beside it. The
 * server sends a bounded tree; "more children" and "more roots" fetch the rest a page at a time.
 */
import { useEffect, useState } from 'preact/hooks';
import { casePath, get } from '../api';
import type { HostRow, Neighbours, ProcessTree, ProcNode } from '../types';
import { fmtNum, fmtTime, go, href, LevelBadge, Status, useGet } from '../util';

const ROOTS_PAGE = 200;

export function ProcessesView({ caseId, params }: { caseId: number; params: Record<string, string> }) {
  const hosts = useGet<{ hosts: HostRow[]; total: number }>(casePath(caseId, '/hosts'));
  const host = params.host ?? hosts.data?.hosts.find((h) => h.processes > 0)?.name;
  const rootsOffset = Number(params.roots ?? 0) || 0;
  const tree = useGet<ProcessTree>(host ? casePath(caseId, '/process-tree') : undefined, { host, rootsOffset });
  return (
    <section>
      <h2>Process tree</h2>
      <label>
        Host{' '}
        <select aria-label="Host" value={host ?? ''} onChange={(e) => go(caseId, 'processes', { host: (e.target as HTMLSelectElement).value })}>
          {!host && <option value="">pick a host</option>}
          {hosts.data?.hosts.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name} ({fmtNum(h.processes)} processes, {fmtNum(h.alerts)} alerts)
            </option>
          ))}
        </select>
      </label>
      <Status l={hosts} what="hosts" />
      {hosts.data && hosts.data.hosts.length === 0 && <p class="muted">No hosts in this case.</p>}
      {host && <Status l={tree} what="the process tree" />}
      {tree.data && <Tree caseId={caseId} t={tree.data} focus={params.focus} />}
      {tree.data && tree.data.rootTotal > ROOTS_PAGE && (
        <div class="pager">
          <button disabled={rootsOffset === 0} onClick={() => go(caseId, 'processes', { host, roots: Math.max(0, rootsOffset - ROOTS_PAGE) || undefined })}>
            ← Earlier roots
          </button>
          <span>
            roots {fmtNum(rootsOffset + 1)}–{fmtNum(Math.min(tree.data.rootTotal, rootsOffset + ROOTS_PAGE))} of {fmtNum(tree.data.rootTotal)}
          </span>
          <button disabled={rootsOffset + ROOTS_PAGE >= tree.data.rootTotal} onClick={() => go(caseId, 'processes', { host, roots: rootsOffset + ROOTS_PAGE })}>
            Later roots →
          </button>
        </div>
      )}
    </section>
  );
}

function Tree({ caseId, t, focus }: { caseId: number; t: ProcessTree; focus?: string }) {
  // Children fetched later ("more children") join the server's nodes here.
  const [extra, setExtra] = useState<Record<string, ProcNode>>({});
  const [extraChildren, setExtraChildren] = useState<Record<string, string[]>>({});
  useEffect(() => {
    setExtra({});
    setExtraChildren({});
  }, [t]);
  const nodes = { ...t.nodes, ...extra };
  const childrenOf = (id: string) => [...(nodes[id]?.children ?? []), ...(extraChildren[id] ?? [])];

  async function loadMore(id: string) {
    const have = childrenOf(id);
    const r = await get<Neighbours>(casePath(caseId, `/nodes/${id}/neighbours`), { types: 'launched', direction: 'out', limit: 100, offset: have.length });
    const add: Record<string, ProcNode> = {};
    const ids: string[] = [];
    for (const n of r.nodes) {
      if (nodes[n.id]) continue;
      ids.push(n.id);
      // Known only by summary: its own children are fetched when asked.
      add[n.id] = { ...n, children: [], childTotal: -1, alerts: 0 };
    }
    setExtra((x) => ({ ...x, ...add }));
    setExtraChildren((x) => ({ ...x, [id]: [...(x[id] ?? []), ...ids] }));
  }

  const render = (id: string, depth: number) => {
    const n = nodes[id];
    if (!n || depth > 100) return null;
    const kids = childrenOf(id);
    const missing = n.childTotal < 0 ? 1 : n.childTotal - kids.length;
    return (
      <li key={id}>
        <ProcLine caseId={caseId} n={n} focus={focus === id} />
        {kids.length > 0 && <ul>{kids.map((k) => render(k, depth + 1))}</ul>}
        {missing > 0 && (
          <button class="link small more" onClick={() => void loadMore(id)}>
            {n.childTotal < 0 ? 'show children' : `+${fmtNum(missing)} more children`}
          </button>
        )}
      </li>
    );
  };
  if (!t.roots.length) return <p class="muted">No processes on this host.</p>;
  return <ul class="tree proc-tree">{t.roots.map((r) => render(r, 0))}</ul>;
}

function ProcLine({ caseId, n, focus }: { caseId: number; n: ProcNode; focus: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <div class={`proc ${focus ? 'focus' : ''}`}>
      <button class="link proc-name" aria-expanded={open} onClick={() => setOpen(!open)}>
        {n.label}
      </button>
      {n.user && <span class="muted"> · {n.user}</span>}
      {n.start !== undefined && <span class="muted"> · {fmtTime(n.start)}</span>}
      {n.alerts > 0 && (
        <a class="alert-count" href={href(caseId, 'graph', { node: n.id })}>
          <LevelBadge level={n.level ?? 'informational'}>
            {fmtNum(n.alerts)} alert{n.alerts > 1 ? 's' : ''}
          </LevelBadge>
        </a>
      )}
      {n.commandLine && <div class="mono cmd">{n.commandLine}</div>}
      {open && (
        <div class="detail small">
          {n.image && <div class="mono wrap">{n.image}</div>}
          <div class="muted">
            {n.start !== undefined && `started ${fmtTime(n.start)}`}
            {n.end !== undefined && ` · ended ${fmtTime(n.end)}`}
          </div>
          <a class="button small" href={href(caseId, 'graph', { node: n.id })}>
            Open in the graph
          </a>{' '}
          <a class="button small" href={href(caseId, 'timeline', { from: n.start ?? n.firstSeen, host: n.host })}>
            Timeline from here
          </a>
        </div>
      )}
    </div>
  );
}
