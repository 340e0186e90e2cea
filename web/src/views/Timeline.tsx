/** Events and alerts in time order, a page at a time, filtered by host and a start time (UTC). */
import { useState } from 'preact/hooks';
import { casePath } from '../api';
import type { AlertRow, EventRow, HostRow, TimelinePage } from '../types';
import { EntityChip, fmtNum, fmtTime, go, LevelBadge, Props, Status, useGet } from '../util';

const LIMIT = 100;

type Row = { kind: 'event'; e: EventRow } | { kind: 'alert'; a: AlertRow };

/** `datetime-local` text (read as UTC) ⇄ epoch ms. */
function toInput(t: number | undefined): string {
  return t === undefined ? '' : new Date(t).toISOString().slice(0, 23);
}

export function TimelineView({ caseId, params }: { caseId: number; params: Record<string, string> }) {
  const from = params.from !== undefined && /^-?\d+$/.test(params.from) ? Number(params.from) : undefined;
  const host = params.host || undefined;
  // Cursors of the pages before this one, for "previous".
  // '-' stands for the first page (no cursor).
  const back = params.back ? params.back.split(',').filter((c) => c === '-' || /^-?\d+:\d+$/.test(c)) : [];
  const cursor = params.cursor && /^-?\d+:\d+$/.test(params.cursor) ? params.cursor : undefined;
  const l = useGet<TimelinePage>(casePath(caseId, '/timeline'), { from, host, cursor, limit: LIMIT });
  const hosts = useGet<{ hosts: HostRow[] }>(casePath(caseId, '/hosts'));
  const [fromText, setFromText] = useState(toInput(from));
  const [open, setOpen] = useState<string>();
  const p = l.data;
  const rows: Row[] = [];
  if (p) {
    let i = 0;
    const alerts = [...p.alerts];
    for (const e of p.events) {
      while (i < alerts.length && alerts[i]!.time <= e.time) rows.push({ kind: 'alert', a: alerts[i++]! });
      rows.push({ kind: 'event', e });
    }
    while (i < alerts.length) rows.push({ kind: 'alert', a: alerts[i++]! });
  }
  const nav = (extra: Record<string, string | undefined>) => go(caseId, 'timeline', { from, host, ...extra });
  return (
    <section>
      <h2>Timeline</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          const t = fromText ? Date.parse(`${fromText}Z`) : NaN;
          go(caseId, 'timeline', { host, from: Number.isFinite(t) ? t : undefined });
        }}
      >
        <label>
          Host{' '}
          <select aria-label="Host" value={host ?? ''} onChange={(e) => go(caseId, 'timeline', { from, host: (e.target as HTMLSelectElement).value || undefined })}>
            <option value="">all hosts</option>
            {hosts.data?.hosts.map((h) => (
              <option key={h.name} value={h.name}>
                {h.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From (UTC){' '}
          <input type="datetime-local" step="0.001" value={fromText} onInput={(e) => setFromText((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Go</button>
        {from !== undefined && (
          <button type="button" onClick={() => go(caseId, 'timeline', { host })}>
            From the start
          </button>
        )}
      </form>
      <Status l={l} what="the timeline" />
      {p && (
        <>
          {rows.length === 0 && <p class="muted">Nothing in this range.</p>}
          <table class="timeline">
            <thead>
              <tr>
                <th>Time (UTC)</th>
                <th>Host</th>
                <th>What</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) =>
                r.kind === 'alert' ? (
                  <tr key={`a:${r.a.id}`} class={`tl-alert level-row-${r.a.level}`}>
                    <td class="nowrap">{fmtTime(r.a.time)}</td>
                    <td>{r.a.host}</td>
                    <td>
                      <LevelBadge level={r.a.level} />
                    </td>
                    <td>
                      <a href={`#/${caseId}/alerts?open=${encodeURIComponent(r.a.id)}&rule=${encodeURIComponent(r.a.ruleId)}`}>{r.a.title}</a>{' '}
                      {r.a.techniques.map((t) => (
                        <span key={t.id} class="chip tech">
                          {t.id}
                        </span>
                      ))}{' '}
                      {r.a.entities.map((n) => (
                        <EntityChip key={n.id} n={n} caseId={caseId} />
                      ))}
                    </td>
                  </tr>
                ) : (
                  <>
                    <tr key={`e:${r.e.id}`} class="tl-event">
                      <td class="nowrap">{fmtTime(r.e.time)}</td>
                      <td>{r.e.host}</td>
                      <td>
                        <span class="badge action">{r.e.action}</span>
                      </td>
                      <td>
                        <button class="link mono summary" aria-expanded={open === r.e.id} onClick={() => setOpen(open === r.e.id ? undefined : r.e.id)}>
                          {r.e.summary}
                        </button>
                      </td>
                    </tr>
                    {open === r.e.id && (
                      <tr key={`r:${r.e.id}`} class="tl-raw">
                        <td colSpan={4}>
                          <p class="muted small">
                            {r.e.origin} · event {r.e.id}
                            {r.e.user && ` · user ${r.e.user}`}
                          </p>
                          <Props obj={r.e.raw} />
                        </td>
                      </tr>
                    )}
                  </>
                ),
              )}
            </tbody>
          </table>
          {p.alertsMore > 0 && <p class="muted">{fmtNum(p.alertsMore)} more alerts in this stretch are not listed: narrow by host or time.</p>}
          <div class="pager">
            <button
              disabled={back.length === 0}
              onClick={() => {
                const prev = back[back.length - 1];
                nav({ cursor: prev === '-' ? undefined : prev, back: back.slice(0, -1).join(',') || undefined });
              }}
            >
              ← Previous
            </button>
            <span>
              {p.events.length > 0 && `${fmtTime(p.events[0]!.time)} → ${fmtTime(p.events[p.events.length - 1]!.time)}`} ({fmtNum(p.events.length)} events)
            </span>
            <button disabled={!p.next} onClick={() => nav({ cursor: p.next, back: [...back, cursor ?? '-'].join(',') })}>
              Next →
            </button>
          </div>
        </>
      )}
    </section>
  );
}
