/**
 * The web UI in a real browser (Debian's chromium driven by playwright-core; never a downloaded
 * browser): sign in with the analyst token, see the alerts, open the graph from an alert and expand
 * a node, the process tree, the timeline, the ATT&CK matrix, switch cases; a hostile command line
 * (`<script>`, `<img onerror>`) shows as its literal text and runs nothing. Skipped, with the reason,
 * where /usr/bin/chromium is missing (CI installs it: .ci/run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exampleServer } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`;
const WEB_DIST = resolve('web', 'dist');

function ensureBuilt(): void {
  if (existsSync(join(WEB_DIST, 'index.html'))) return;
  const r = spawnSync(process.execPath, [resolve('node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web'], { stdio: 'inherit', timeout: 120_000 });
  assert.equal(r.status, 0, 'vite build web');
}

test('the web UI in chromium: sign in, alerts, graph from an alert with expansion, process tree, timeline, ATT&CK matrix, cases; hostile text stays text', { skip, timeout: 120_000 }, async () => {
  ensureBuilt();
  const { chromium } = await import('playwright-core');
  const s = await exampleServer({ hostile: true, webRoot: WEB_DIST });
  const profile = mkdtempSync(join(tmpdir(), 'loupe-chromium-'));
  const url = await s.app.listen({ host: '127.0.0.1', port: 0 });
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 900 },
    timeout: 30_000,
  });
  const dialogs: string[] = [];
  const problems: string[] = [];
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(15_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push(`console: ${m.text()}`);
    });

    // Sign in: a wrong token is refused, the analyst token lets in.
    await page.goto(url);
    await page.fill('#token', 'lpa_not-a-real-token-000000');
    await page.click('button:has-text("Sign in")');
    await page.getByText('That token was not accepted.').waitFor();
    await page.fill('#token', s.analyst);
    await page.click('button:has-text("Sign in")');
    await page.getByText('Alerts per level').waitFor();
    assert.equal(await page.evaluate("sessionStorage.getItem('loupe.token')"), s.analyst, 'the token is kept for the tab');

    // Alerts: the chain threat from the example story is first (critical).
    await page.click('header nav a:has-text("Alerts")');
    const first = page.locator('table.alerts tbody tr.alert-row').first();
    await first.getByText(/Process chain from WINWORD\.EXE/).waitFor();
    assert.equal(await first.locator('.badge').first().textContent(), 'critical');
    // Its details open in place.
    await first.locator('button.title').click();
    await page.locator('tr.alert-detail').getByText('Details').waitFor();

    // Graph from that alert: the alert and the process it is about; expand the process.
    await first.locator('a.button:has-text("Graph")').click();
    await page.locator('.graph-status').getByText(/^2 entities/).waitFor();
    const word = page.locator('.visible-list button.node-pick', { hasText: 'WINWORD.EXE (12604)' });
    await word.click();
    await page.locator('.graph-right h3', { hasText: 'Process: WINWORD.EXE (12604)' }).waitFor();
    await page.click('.graph-right button:has-text("Expand neighbours")');
    await page.locator('.visible-list button.node-pick', { hasText: 'cmd.exe (28772)' }).waitFor();
    const afterExpand = await page.locator('.visible-list button.node-pick').count();
    assert.ok(afterExpand > 2, `expanding Word pulled in its neighbours (${afterExpand} entities)`);
    // Double-click expands too: the shell's own neighbours (PowerShell) come in.
    await page.locator('.visible-list button.node-pick', { hasText: 'cmd.exe (28772)' }).dblclick();
    await page.locator('.visible-list button.node-pick', { hasText: 'powershell.exe (16296)' }).waitFor();
    // An edge's details with its occurrences.
    await page.locator('.graph-right .edge-list button').first().click();
    await page.locator('.graph-right h4', { hasText: 'Occurrences' }).waitFor();
    // The drawing itself: sigma's canvases are there (or a note says why not).
    const canvases = await page.locator('.sigma canvas').count();
    const noDraw = await page.getByText('The graph cannot be drawn here').count();
    assert.ok(canvases > 0 || noDraw > 0);

    // Process tree of the host: the story's processes, the hostile command line as literal text.
    await page.click('header nav a:has-text("Process tree")');
    await page.getByText('explorer.exe (4120)').waitFor();
    await page.getByText('WINWORD.EXE (12604)').waitFor();
    const hostileCmd = page.locator('.proc .cmd', { hasText: '<script>alert(document.cookie)</script>' });
    await hostileCmd.waitFor();
    assert.ok(await hostileCmd.isVisible());
    assert.ok((await hostileCmd.textContent())!.includes('<img src=x onerror=alert(1)>'));

    // Timeline: the same text in the hostile event's row.
    await page.click('header nav a:has-text("Timeline")');
    await page.locator('table.timeline').getByText('<script>alert(document.cookie)</script>', { exact: false }).first().waitFor();
    await page.locator('table.timeline tr.tl-alert').first().waitFor();

    // ATT&CK matrix: tactics as columns, Phishing lit by the macro document, linked to its alerts.
    await page.click('header nav a:has-text("ATT&CK matrix")');
    await page.locator('.tactic h4', { hasText: 'Initial Access' }).waitFor();
    const phishing = page.locator('.tech-cell.fired a', { hasText: 'T1566' }).first();
    await phishing.click();
    await page.getByText('technique T1566').waitFor();
    // The filter's heading shows before the filtered rows arrive: wait for a row, then count.
    await page.locator('table.alerts tbody tr.alert-row').first().waitFor();
    assert.ok((await page.locator('table.alerts tbody tr.alert-row').count()) >= 1);

    // Cases: the empty one is there to pick.
    await page.selectOption('header select', { label: 'empty case (0 events, 0 alerts)' });
    await page.click('header nav a:has-text("Overview")');
    await page.locator('h2', { hasText: 'empty case' }).waitFor();

    // Nothing ran: no dialog, no element from evidence, only the bundle's script, no CSP refusals.
    assert.deepEqual(dialogs, []);
    // (Page code as text: the tests are type-checked without the DOM's types.)
    const dom = (await page.evaluate("({ imgs: document.querySelectorAll('img').length, scripts: [...document.scripts].map((x) => x.src) })")) as { imgs: number; scripts: string[] };
    assert.equal(dom.imgs, 0);
    assert.ok(dom.scripts.every((src) => /\/assets\/[^/]+\.js$/.test(src)), dom.scripts.join(' '));
    assert.deepEqual(problems, []);

    // Signing out forgets the token.
    await page.click('button:has-text("Sign out")');
    await page.locator('#token').waitFor();
    assert.equal(await page.evaluate("sessionStorage.getItem('loupe.token')"), null);
  } finally {
    await ctx.close();
    await s.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
