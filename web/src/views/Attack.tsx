/** The ATT&CK matrix: tactics as columns, the case's techniques that fired highlighted, each linked to its alerts. */
import { casePath } from '../api';
import type { Matrix } from '../types';
import { fmtNum, go, href, Status, useGet } from '../util';

export function AttackView({ caseId, params }: { caseId: number; params: Record<string, string> }) {
  const onlyFired = params.all !== '1';
  const l = useGet<Matrix>(casePath(caseId, '/attack'), { fired: onlyFired ? 'only' : 'all' });
  const m = l.data;
  const focus = params.technique?.toUpperCase();
  return (
    <section class="attack">
      <h2>ATT&amp;CK matrix</h2>
      <label>
        <input type="checkbox" checked={!onlyFired} onChange={() => go(caseId, 'attack', { all: onlyFired ? '1' : undefined, technique: params.technique })} /> Show every technique, not only those that
        fired
      </label>
      <Status l={l} what="the matrix" />
      {m && (
        <>
          <p class="muted small">
            {m.source} {m.version} · {fmtNum(m.fired.length)} techniques named by alerts
          </p>
          <div class="matrix" aria-label="ATT&CK matrix">
            {m.tactics.map((t) => (
              <div class="tactic" key={t.id}>
                <h4 title={t.id}>
                  {t.name}
                </h4>
                {t.techniques.length === 0 && <div class="muted small">—</div>}
                {t.techniques.map((c) => (
                  <div key={c.id} class={`tech-cell ${c.alerts ? `fired level-${c.level}` : ''} ${focus && (focus === c.id || focus.startsWith(`${c.id}.`)) ? 'focus' : ''}`}>
                    {c.alerts ? (
                      <a href={href(caseId, 'alerts', { technique: c.id })} title={`${c.alerts} alerts`}>
                        <b>{c.id}</b> {c.name} <span class="count">{fmtNum(c.alerts)}</span>
                      </a>
                    ) : (
                      <span>
                        <b>{c.id}</b> {c.name}
                      </span>
                    )}
                    {c.subs
                      .filter((s) => s.alerts > 0)
                      .map((s) => (
                        <a key={s.id} class={`sub level-${s.level}`} href={href(caseId, 'alerts', { technique: s.id })}>
                          {s.id} {s.name} <span class="count">{fmtNum(s.alerts)}</span>
                        </a>
                      ))}
                  </div>
                ))}
              </div>
            ))}
          </div>
          {m.fired.some((f) => !f.name) && (
            <p class="muted small">
              Named by alerts but not in this ATT&amp;CK table:{' '}
              {m.fired
                .filter((f) => !f.name)
                .map((f) => f.id)
                .join(', ')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
