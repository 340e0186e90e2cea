/** Threats: process chains that crossed the score threshold, with their tree, hits, techniques and attribution. */
import type { JSX } from 'preact';
import { casePath } from '../api';
import type { Threat, ThreatDetail, ThreatNode } from '../types';
import { fmtNum, fmtTime, go, href, LevelBadge, Pager, Status, useGet } from '../util';

const LIMIT = 50;

export function ThreatsView({ caseId, params }: { caseId: number; params: Record<string, string> }) {
  const offset = Number(params.offset ?? 0) || 0;
  const l = useGet<{ total: number; threats: Threat[] }>(casePath(caseId, '/threats'), { state: params.state, limit: LIMIT, offset });
  if (params.id) return <ThreatDetailView caseId={caseId} id={params.id} />;
  const page = l.data;
  return (
    <section>
      <h2>Threats</h2>
      <label>
        State{' '}
        <select value={params.state ?? ''} onChange={(e) => go(caseId, 'threats', { state: (e.target as HTMLSelectElement).value || undefined })}>
          <option value="">any</option>
          <option value="new">new</option>
          <option value="handled">handled</option>
          <option value="ignored">ignored</option>
        </select>
      </label>
      <Status l={l} what="threats" />
      {page && page.total === 0 && <p class="muted">No process chain crossed the threshold in this case.</p>}
      {page && page.total > 0 && (
        <>
          <table class="threats">
            <thead>
              <tr>
                <th>Level</th>
                <th class="num">Score</th>
                <th>Host</th>
                <th>Started from</th>
                <th class="num">Processes</th>
                <th>Techniques</th>
                <th>Looks like</th>
                <th>Seen (UTC)</th>
                <th>State</th>
              </tr>
            </thead>
            <tbody>
              {page.threats.map((t) => (
                <tr key={t.id}>
                  <td>
                    <LevelBadge level={t.level} />
                  </td>
                  <td class="num">{t.score}</td>
                  <td>{t.host}</td>
                  <td class="mono ellipsis">
                    <a href={href(caseId, 'threats', { id: t.id })} title={t.head.commandLine}>
                      {baseName(t.head.image) || t.head.key}
                    </a>
                  </td>
                  <td class="num">{fmtNum(t.members)}</td>
                  <td>{t.techniques.length}</td>
                  <td>{t.attribution.slice(0, 3).map((a) => a.name).join(', ')}</td>
                  <td class="nowrap">
                    {fmtTime(t.firstSeen)} → {fmtTime(t.lastSeen)}
                  </td>
                  <td>{t.state}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={LIMIT} total={page.total} onPage={(o) => go(caseId, 'threats', { state: params.state, offset: o || undefined })} />
        </>
      )}
    </section>
  );
}

function baseName(p: string | undefined): string {
  if (!p) return '';
  const i = Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return p.slice(i + 1);
}

function ThreatDetailView({ caseId, id }: { caseId: number; id: string }) {
  const l = useGet<ThreatDetail>(casePath(caseId, `/threats/${encodeURIComponent(id)}`));
  const d = l.data;
  if (!d) return <Status l={l} what="the threat" />;
  const t = d.threat;
  return (
    <section>
      <p>
        <a href={href(caseId, 'threats')}>← All threats</a>
      </p>
      <h2>
        <LevelBadge level={t.level} /> Threat on {t.host}: score {t.score} (threshold {t.threshold})
      </h2>
      <p class="muted">
        {fmtTime(t.firstSeen)} → {fmtTime(t.lastSeen)} · {fmtNum(t.members)} processes · {fmtNum(t.hitCount)} hits · state {t.state}
        {t.stateBy && ` by ${t.stateBy}`} · {t.open ? 'chain still open' : 'chain closed'}
        {t.mergedInto && ` · merged into ${t.mergedInto}`}
      </p>
      {d.graphNode && (
        <p>
          <a class="button" href={href(caseId, 'graph', { node: d.graphNode })}>
            Open the head process in the graph
          </a>{' '}
          <a class="button" href={href(caseId, 'processes', { host: t.host })}>
            Process tree of {t.host}
          </a>
        </p>
      )}
      <h3>Process tree</h3>
      <ThreatTree nodes={t.tree ?? [t.head]} />
      {(t.treeTruncated ?? 0) > 0 && <p class="muted">{fmtNum(t.treeTruncated)} more processes not shown.</p>}

      <div class="two-col">
        <div>
          <h3>Techniques (kill-chain order of tactics: {t.tactics.join(' → ')})</h3>
          <table>
            <tbody>
              {t.techniques.map((x) => (
                <tr key={x.id}>
                  <td>
                    <a href={href(caseId, 'attack', { technique: x.id })}>{x.id}</a>
                  </td>
                  <td>{x.name}</td>
                  <td class="muted">{x.tactics.join(', ')}</td>
                  <td class="num">{fmtNum(x.hits)} hits</td>
                  <td>{x.allowedOnly && <span class="muted">allowed only</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Attribution</h3>
          {t.attribution.length === 0 ? (
            <p class="muted">No ATT&amp;CK group or software shares enough techniques.</p>
          ) : (
            <table>
              <tbody>
                {t.attribution.map((a) => (
                  <tr key={a.id}>
                    <td>
                      {a.name} <span class="muted">({a.kind} {a.id})</span>
                    </td>
                    <td class="num">{a.score.toFixed(3)}</td>
                    <td class="small">{a.shared.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>

      <h3>
        Hits ({fmtNum(d.hitTotal)}
        {d.hitTotal > d.hits.length ? `, first ${d.hits.length}` : ''})
      </h3>
      <table>
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Level</th>
            <th>Rule</th>
            <th>Techniques</th>
            <th class="num">Points</th>
          </tr>
        </thead>
        <tbody>
          {d.hits.map((h, i) => (
            <tr key={`${h.alertId}:${i}`}>
              <td class="nowrap">{fmtTime(h.time)}</td>
              <td>
                <LevelBadge level={h.level} />
              </td>
              <td>
                {h.title} <span class="muted small">{h.detector}</span>
                {h.allowed && <span class="muted small"> (allowed: {h.allowed})</span>}
              </td>
              <td>{h.techniques.join(', ')}</td>
              <td class="num">{h.points}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The chain's processes indented under their parents (the tree is bounded by the server). */
function ThreatTree({ nodes }: { nodes: ThreatNode[] }) {
  const byParent = new Map<string | undefined, ThreatNode[]>();
  const keys = new Set(nodes.map((n) => n.key));
  for (const n of nodes) {
    const p = n.parentKey && keys.has(n.parentKey) ? n.parentKey : undefined;
    const l = byParent.get(p) ?? [];
    l.push(n);
    byParent.set(p, l);
  }
  const render = (parent: string | undefined, depth: number): JSX.Element[] =>
    depth > 64
      ? []
      : (byParent.get(parent) ?? []).map((n) => (
          <li key={n.key}>
            <div class={`proc ${n.context ? 'context' : ''}`}>
              <span class="proc-name">{baseName(n.image) || '(unknown image)'}</span>
              {n.pid !== undefined && <span class="muted"> pid {n.pid}</span>}
              {n.user && <span class="muted"> · {n.user}</span>}
              {n.start !== undefined && <span class="muted"> · {fmtTime(n.start)}</span>}
              {n.placeholder && <span class="muted"> (start not seen)</span>}
              {n.context && <span class="muted"> (context)</span>}
              {n.hits.map((h) => (
                <LevelBadge key={h.ruleId} level={h.level}>
                  {h.title}
                  {h.count > 1 ? ` ×${h.count}` : ''}
                </LevelBadge>
              ))}
              {n.commandLine && <div class="mono cmd">{n.commandLine}</div>}
            </div>
            {byParent.has(n.key) && <ul>{render(n.key, depth + 1)}</ul>}
          </li>
        ));
  return <ul class="tree">{render(undefined, 0)}</ul>;
}
