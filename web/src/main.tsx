/**
 * Loupe's web UI: sign in with the analyst token, pick a case, then overview, alerts, threats,
 * graph, process tree, timeline and ATT&CK matrix. Everything from evidence is shown as text
 * (Preact text nodes and attributes), never as markup.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, onSignOut, setToken, token } from './api';
import type { CaseInfo } from './types';
import { fmtNum, go, href, useRoute, VIEWS, type View } from './util';
import { OverviewView } from './views/Overview';
import { AlertsView } from './views/Alerts';
import { ThreatsView } from './views/Threats';
import { GraphView } from './views/Graph';
import { ProcessesView } from './views/Processes';
import { TimelineView } from './views/Timeline';
import { AttackView } from './views/Attack';
import './style.css';

const TITLES: Record<View, string> = {
  overview: 'Overview',
  alerts: 'Alerts',
  threats: 'Threats',
  graph: 'Graph',
  processes: 'Process tree',
  timeline: 'Timeline',
  attack: 'ATT&CK matrix',
};

function SignIn({ onDone }: { onDone(): void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = value.trim();
    if (!t) return;
    setBusy(true);
    setError(undefined);
    try {
      await get('/cases', undefined, t);
      setToken(t);
      onDone();
    } catch (err) {
      const status = err instanceof ApiError ? err.status : 0;
      setError(
        status === 401
          ? 'That token was not accepted.'
          : status === 403
            ? 'That is an agent token: the web UI needs an analyst token.'
            : `The server could not be reached (${(err as Error).message}).`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <h1>Loupe</h1>
      <form onSubmit={submit}>
        <label for="token">Analyst token</label>
        <input id="token" name="token" type="password" autocomplete="off" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} autofocus />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <p class="muted">
          Make one on the server with <code>loupe agents add NAME --analyst</code>. It is kept in this tab only (sessionStorage) and sent as a Bearer token.
        </p>
      </form>
    </main>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(() => !!token());
  const [cases, setCases] = useState<{ served: number; cases: CaseInfo[] }>();
  const [error, setError] = useState<string>();
  const route = useRoute();

  useEffect(() => onSignOut(() => setSignedIn(false)), []);
  useEffect(() => {
    if (!signedIn) return;
    get<{ served: number; cases: CaseInfo[] }>('/cases')
      .then(setCases)
      .catch((e: Error) => setError(e.message));
  }, [signedIn]);

  if (!signedIn) return <SignIn onDone={() => setSignedIn(true)} />;
  if (error) return <p class="error">Could not list the cases: {error}</p>;
  if (!cases) return <p class="muted">Loading cases…</p>;

  const caseId = route.caseId !== undefined && cases.cases.some((c) => c.id === route.caseId) ? route.caseId : undefined;
  if (caseId === undefined) {
    const pick = cases.cases.find((c) => c.id === cases.served && c.events > 0) ?? cases.cases.find((c) => c.events > 0) ?? cases.cases[0];
    if (pick && route.caseId === undefined && location.hash.length <= 2) {
      go(pick.id, 'overview');
      return null;
    }
  }
  const current = cases.cases.find((c) => c.id === caseId);

  return (
    <div class="shell">
      <header>
        <span class="brand">Loupe</span>
        <label class="case-pick">
          Case{' '}
          <select aria-label="Case" value={caseId ?? ''} onChange={(e) => go(Number((e.target as HTMLSelectElement).value), route.view)}>
            {caseId === undefined && <option value="">Pick a case</option>}
            {cases.cases.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({fmtNum(c.events)} events, {fmtNum(c.alerts)} alerts)
              </option>
            ))}
          </select>
        </label>
        <nav>
          {VIEWS.map((v) => (
            <a key={v} href={href(caseId, v)} class={route.view === v ? 'active' : ''} aria-current={route.view === v ? 'page' : undefined}>
              {TITLES[v]}
            </a>
          ))}
        </nav>
        <button class="signout" onClick={() => setToken(undefined)}>
          Sign out
        </button>
      </header>
      <main>
        {caseId === undefined || !current ? (
          <section>
            <h2>Cases</h2>
            {cases.cases.length === 0 ? (
              <p>No cases yet: analyse evidence with <code>loupe analyze FILES --case NAME</code>, or send events from agents.</p>
            ) : (
              <ul>
                {cases.cases.map((c) => (
                  <li key={c.id}>
                    <a href={href(c.id, 'overview')}>{c.name}</a> — {fmtNum(c.evidence)} evidence files, {fmtNum(c.events)} events, {fmtNum(c.alerts)} alerts
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : (
          <Routed caseId={caseId} view={route.view} params={route.params} />
        )}
      </main>
    </div>
  );
}

function Routed({ caseId, view, params }: { caseId: number; view: View; params: Record<string, string> }) {
  switch (view) {
    case 'overview':
      return <OverviewView caseId={caseId} />;
    case 'alerts':
      return <AlertsView caseId={caseId} params={params} />;
    case 'threats':
      return <ThreatsView caseId={caseId} params={params} />;
    case 'graph':
      return <GraphView key={caseId} caseId={caseId} params={params} />;
    case 'processes':
      return <ProcessesView caseId={caseId} params={params} />;
    case 'timeline':
      return <TimelineView caseId={caseId} params={params} />;
    case 'attack':
      return <AttackView caseId={caseId} params={params} />;
  }
}

render(<App />, document.getElementById('app')!);
