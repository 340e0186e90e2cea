/** The case at a glance: what evidence was read (and what could not be), counts, alerts per level. */
import { casePath } from '../api';
import { LEVELS, type Overview } from '../types';
import { fmtNum, fmtTime, href, LevelBadge, Status, useGet } from '../util';

/** A titled table of counts per entity or relation type. */
function CountsByType({ title, counts }: { title: string; counts: Record<string, number> }) {
  return (
    <div>
      <h3>{title}</h3>
      <table>
        <tbody>
          {Object.entries(counts).map(([t, n]) => (
            <tr key={t}>
              <td>{t}</td>
              <td class="num">{fmtNum(n)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OverviewView({ caseId }: { caseId: number }) {
  const l = useGet<Overview>(casePath(caseId, '/overview'));
  const o = l.data;
  if (!o) return <Status l={l} what="the overview" />;
  const alerts = LEVELS.reduce((s, lv) => s + (o.counts.alertsByLevel[lv] ?? 0), 0);
  const errors = o.evidence.reduce((s, e) => s + e.errors, 0);
  return (
    <section>
      <h2>{o.case.name}</h2>
      <div class="cards">
        <div class="card">
          <div class="big">{fmtNum(o.counts.events)}</div>
          <div>events{o.firstEvent !== undefined && <span class="muted"> from {fmtTime(o.firstEvent)}</span>}</div>
        </div>
        <div class="card">
          <div class="big">{fmtNum(o.evidenceTotal)}</div>
          <div>evidence files{errors > 0 && <span class="error-text"> · {fmtNum(errors)} damaged records</span>}</div>
        </div>
        <a class="card" href={href(caseId, 'alerts')}>
          <div class="big">{fmtNum(alerts)}</div>
          <div>alerts</div>
        </a>
        {o.threats && (
          <a class="card" href={href(caseId, 'threats')}>
            <div class="big">{fmtNum(o.threats.total)}</div>
            <div>
              threats <span class="muted">({fmtNum(o.threats.open)} open, {fmtNum(o.threats.new)} new)</span>
            </div>
          </a>
        )}
      </div>

      <h3>Alerts per level</h3>
      <table class="levels" aria-label="Alerts per level">
        <tbody>
          {[...LEVELS].reverse().map((lv) => (
            <tr key={lv}>
              <td>
                <LevelBadge level={lv} />
              </td>
              <td class="num">
                {o.counts.alertsByLevel[lv] ? <a href={href(caseId, 'alerts', { level: lv })}>{fmtNum(o.counts.alertsByLevel[lv])}</a> : <span class="muted">0</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <div class="two-col">
        <CountsByType title="Entities" counts={o.counts.nodesByType} />
        <CountsByType title="Relations" counts={o.counts.edgesByType} />
      </div>

      <h3>Evidence</h3>
      <table class="evidence">
        <thead>
          <tr>
            <th>File</th>
            <th>Format</th>
            <th class="num">Size</th>
            <th class="num">Records</th>
            <th class="num">Damaged</th>
            <th>Added</th>
          </tr>
        </thead>
        <tbody>
          {o.evidence.map((e) => (
            <tr key={e.id}>
              <td class="mono wrap" title={e.sha256 ? `SHA-256 ${e.sha256}` : undefined}>
                {e.name}
                {e.errorSamples.length > 0 && (
                  <details>
                    <summary>{e.errorSamples.length} first reasons</summary>
                    <ul class="mono">
                      {e.errorSamples.map((s, i) => (
                        <li key={i}>{s}</li>
                      ))}
                    </ul>
                  </details>
                )}
              </td>
              <td>{e.format}</td>
              <td class="num">{fmtNum(e.size)}</td>
              <td class="num">{fmtNum(e.records)}</td>
              <td class={`num ${e.errors ? 'error-text' : ''}`}>{fmtNum(e.errors)}</td>
              <td>{fmtTime(e.added)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.evidenceTotal > o.evidence.length && <p class="muted">and {fmtNum(o.evidenceTotal - o.evidence.length)} more files</p>}
    </section>
  );
}
