// The network report in all ten languages on real data (APT29 day 1 Zeek logs, the NEWYORK
// capture of day 2) and on a hostile hand-written log: no crash, each language's own texts,
// everything from evidence escaped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseNetworkPaths } from '../../src/report/network/collect.js';
import { renderNetworkReportHtml, networkReportJson, type NetworkReportInput } from '../../src/report/network-report.js';
import { LANGUAGES, reportText, alertText } from '../../src/report/i18n/index.js';
import { loadIndicators } from '../../src/detect/ioc/load.js';
import { NetworkDetector } from '../../src/detect/network/index.js';
import { needShared, shared } from '../helpers/shared.js';
import { readLogs, conn, dns, http, ssl, OPTS } from './helpers.js';

const DAY1 = ['mordor', 'datasets', 'compound', 'apt29', 'day1', 'zeek', 'individual_zeek_logs'] as const;
const DAY2 = ['mordor', 'datasets', 'compound', 'apt29', 'day2', 'pcaps', 'NEWYORK.zip'] as const;

function checkReport(input: NetworkReportInput, expectAlerts: boolean): void {
  for (const lang of LANGUAGES) {
    const html = renderNetworkReportHtml(input, lang);
    assert.ok(html.startsWith('<!doctype html>'), lang);
    assert.ok(html.includes(`<html lang="${lang}">`), lang);
    assert.ok(html.includes(reportText(lang, 'suspect_title')), `${lang}: suspect section`);
    assert.ok(html.includes(reportText(lang, 'whitelist_title')), `${lang}: whitelist section`);
    assert.ok(!/<(script|link|img|iframe|object|embed)\b/i.test(html), `${lang}: nothing loads or runs`);
    const json = JSON.parse(JSON.stringify(networkReportJson(input, lang))) as { language: string; alerts: Array<{ title: string; ruleId: string; details: { params: Record<string, string> } }> };
    assert.equal(json.language, lang);
    if (expectAlerts) {
      assert.ok(json.alerts.length > 0, lang);
      const a = json.alerts[0]!;
      // The alert title is rendered in the report's language from the kept parameters.
      assert.equal(a.title, alertText(lang, a.ruleId as 'IOC-03', 'title', a.details.params));
      assert.ok(html.includes(a.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')), `${lang}: ${a.title}`);
    }
  }
}

test('a hostile name like <script> renders as text in every language', async () => {
  const events = await readLogs({
    'dns.log': [dns('<script>alert(1)</script>.evil.com', ['93.184.216.7'])],
    'conn.log': [conn('93.184.216.7', 8443)],
    'http.log': [http('93.184.216.8', '"><img src=x onerror=alert(2)>.xyz')],
    'ssl.log': [ssl('93.184.216.7', 8443, { server_name: "</td><script>alert(3)</script>" })],
  });
  const det = new NetworkDetector(OPTS);
  events.forEach((e, i) => det.onEvent(e, { eventId: `e${i}`, emit: () => undefined }));
  const findings = await det.analyse();
  assert.ok(findings.alerts.some((a) => a.ruleId === 'IOC-03'));
  const input: NetworkReportInput = { findings, evidence: [{ name: '<b>capture</b>.pcap', records: events.length, errors: 0, errorSamples: [] }], generatedAt: Date.parse('2024-01-01T00:00:00Z') };
  checkReport(input, true);
  for (const lang of LANGUAGES) {
    const html = renderNetworkReportHtml(input, lang);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;.evil.com'), lang);
    assert.ok(!html.includes('<script>') && !html.includes('<img') && !html.includes('<b>capture'), lang);
  }
});

test('APT29 day 1 Zeek logs: a report in each of the ten languages', { skip: needShared(...DAY1) }, async () => {
  const { iocs, whitelist, report } = await loadIndicators({});
  assert.equal(report.iocCount, 3420);
  // With TinyCheck's default whitelist every destination of this lab network (10/8, 192.168/16) is
  // whitelisted; the report says so. Without it, the C2 server 192.168.0.4:8443 stands out.
  const run = await analyseNetworkPaths([shared(...DAY1)], { iocs, whitelist });
  // 12 NASHUA and 14 SCRANTON logs.
  assert.equal(run.evidence.length, 26);
  assert.deepEqual(run.evidence.filter((e) => e.errors > 0), []);
  assert.equal(run.findings.records.conn, 613);
  assert.ok(run.findings.destinations.every((d) => d.status === 'whitelisted'));
  checkReport({ ...run, indicators: { iocs: report.iocCount, whitelist: report.whitelistCount } }, false);
  const open = await analyseNetworkPaths([shared(...DAY1)], { iocs, whitelist, useWhitelist: false });
  const c2 = open.findings.alerts.filter((a) => String(a.details?.subject) === '192.168.0.4').map((a) => a.ruleId).sort();
  // 376 TLS sessions to 192.168.0.4:8443 with a self-signed certificate (NASHUA_ssl.log).
  assert.ok(c2.includes('SSL-01') && c2.includes('SSL-03') && c2.includes('ADV-01'), c2.join());
  checkReport(open, true);
});

const hasUnzip = () => spawnSync('unzip', ['-v']).status === 0;

test('APT29 day 2 NEWYORK capture: a report in each of the ten languages', { skip: needShared(...DAY2) || (!hasUnzip() && 'unzip not installed') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-ny-'));
  try {
    execFileSync('unzip', ['-o', '-q', '-P', 'infected', shared(...DAY2), 'NEWYORK.cap', '-d', dir]);
    assert.ok(existsSync(join(dir, 'NEWYORK.cap')));
    const { iocs, whitelist } = await loadIndicators({});
    const run = await analyseNetworkPaths([join(dir, 'NEWYORK.cap')], { iocs, whitelist, useWhitelist: false });
    assert.equal(run.evidence.length, 1);
    assert.equal(run.evidence[0]!.format, 'pcap');
    assert.ok((run.findings.records.conn ?? 0) > 0 && (run.findings.records.dns ?? 0) > 0);
    checkReport(run, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
