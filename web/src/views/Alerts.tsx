/** Alerts: filter by level, rule, host, technique or words; each with its techniques and the entities it is about. */
import { useState } from 'preact/hooks';
import { casePath } from '../api';
import { LEVELS, type AlertDetail, type AlertRow, type AlertsPage } from '../types';
import { EntityChip, fmtNum, fmtTime, go, href, LevelBadge, Pager, Props, Status, useGet } from '../util';

const LIMIT = 50;

export function AlertsView({ caseId, params }: { caseId: number; params: Record<string, string> }) {
  const offset = Number(params.offset ?? 0) || 0;
  const filters = { level: params.level, rule: params.rule, host: params.host, technique: params.technique, q: params.q, sort: params.sort };
  const l = useGet<AlertsPage>(casePath(caseId, '/alerts'), { ...filters, limit: LIMIT, offset });
  const set = (k: string, v: string | undefined) => go(caseId, 'alerts', { ...filters, [k]: v || undefined, offset: undefined });
  const [words, setWords] = useState(params.q ?? '');
  const page = l.data;
  return (
    <section>
      <h2>Alerts</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          set('q', words.trim());
        }}
      >
        <label>
          Level{' '}
          <select value={params.level ?? ''} onChange={(e) => set('level', (e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            {[...LEVELS].reverse().map((lv) => (
              <option key={lv} value={lv}>
                {lv} ({fmtNum(page?.facets.levels[lv] ?? 0)})
              </option>
            ))}
          </select>
        </label>
        <label>
          Rule{' '}
          <select value={params.rule ?? ''} onChange={(e) => set('rule', (e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            {page?.facets.rules.map((r) => (
              <option key={r.ruleId} value={r.ruleId}>
                {r.title.slice(0, 80)} ({fmtNum(r.count)})
              </option>
            ))}
          </select>
        </label>
        <label>
          Host{' '}
          <select value={params.host ?? ''} onChange={(e) => set('host', (e.target as HTMLSelectElement).value)}>
            <option value="">any</option>
            {page?.facets.hosts.map((h) => (
              <option key={h.host} value={h.host}>
                {h.host} ({fmtNum(h.count)})
              </option>
            ))}
          </select>
        </label>
        {params.technique && (
          <span class="chip">
            technique {params.technique}{' '}
            <button type="button" class="link" aria-label="Clear technique" onClick={() => set('technique', undefined)}>
              ×
            </button>
          </span>
        )}
        <label>
          Sort{' '}
          <select value={params.sort ?? 'level'} onChange={(e) => set('sort', (e.target as HTMLSelectElement).value)}>
            <option value="level">most severe first</option>
            <option value="time">by time</option>
          </select>
        </label>
        <input type="search" placeholder="Words in title, rule or host" value={words} maxLength={200} onInput={(e) => setWords((e.target as HTMLInputElement).value)} />
        <button type="submit">Filter</button>
      </form>
      <Status l={l} what="alerts" />
      {page && (
        <>
          <p class="muted">{fmtNum(page.total)} alerts match.</p>
          <table class="alerts">
            <thead>
              <tr>
                <th>Level</th>
                <th>Time (UTC)</th>
                <th>Title</th>
                <th>Host</th>
                <th>ATT&amp;CK</th>
                <th>About</th>
                <th class="num">Events</th>
              </tr>
            </thead>
            <tbody>
              {page.alerts.map((a) => (
                <AlertLine key={a.id} a={a} caseId={caseId} open={params.open === a.id} onToggle={() => go(caseId, 'alerts', { ...filters, offset: offset || undefined, open: params.open === a.id ? undefined : a.id })} />
              ))}
            </tbody>
          </table>
          <Pager offset={offset} limit={LIMIT} total={page.total} onPage={(o) => go(caseId, 'alerts', { ...filters, offset: o || undefined })} />
        </>
      )}
    </section>
  );
}

function AlertLine({ a, caseId, open, onToggle }: { a: AlertRow; caseId: number; open: boolean; onToggle(): void }) {
  return (
    <>
      <tr class={`alert-row ${open ? 'open' : ''}`}>
        <td>
          <LevelBadge level={a.level} />
        </td>
        <td class="nowrap">{fmtTime(a.time)}</td>
        <td>
          <button class="link title" aria-expanded={open} onClick={onToggle}>
            {a.title}
          </button>
          <div class="muted small">
            {a.detector} · {a.ruleId}
          </div>
        </td>
        <td>{a.host}</td>
        <td>
          {a.techniques.map((t) => (
            <a key={t.id} class="chip tech" href={href(caseId, 'attack', { technique: t.id })} title={t.name}>
              {t.id}
              {t.name && <span class="small"> {t.name}</span>}
            </a>
          ))}
        </td>
        <td>
          {a.entities.map((n) => (
            <EntityChip key={n.id} n={n} caseId={caseId} />
          ))}
          {a.entityCount > a.entities.length && <span class="muted small"> +{a.entityCount - a.entities.length} more</span>}
          {a.graphNode && (
            <a class="button small" href={href(caseId, 'graph', { node: a.graphNode })}>
              Graph
            </a>
          )}
        </td>
        <td class="num">{fmtNum(a.count)}</td>
      </tr>
      {open && (
        <tr class="alert-detail">
          <td colSpan={7}>
            <AlertDetailView caseId={caseId} id={a.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function AlertDetailView({ caseId, id }: { caseId: number; id: string }) {
  const l = useGet<{ alert: AlertDetail }>(casePath(caseId, `/alerts/${encodeURIComponent(id)}`));
  const a = l.data?.alert;
  if (!a) return <Status l={l} what="the alert" />;
  return (
    <div class="detail">
      {a.description && <p>{a.description}</p>}
      {a.tactics.length > 0 && <p class="muted">Tactics: {a.tactics.join(', ')}</p>}
      {a.entities.length > 0 && (
        <p>
          About:{' '}
          {a.entities.map((n) => (
            <EntityChip key={n.id} n={n} caseId={caseId} />
          ))}
        </p>
      )}
      <h4>Details</h4>
      <Props obj={a.details} />
      <h4>
        Events ({fmtNum(a.eventTotal)}
        {a.eventTotal > a.events.length ? `, first ${a.events.length} listed` : ''})
      </h4>
      <ul class="events-list">
        {a.events.map((e) => (
          <li key={e.id}>
            <a href={href(caseId, 'timeline', { from: e.time, host: a.host })}>{fmtTime(e.time)}</a> <span class="mono muted">{e.id}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
