// SNORT-01 from Suricata's own output: hand-written EVE JSON alert records read by the EVE reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseNetworkPaths } from '../../src/report/network/collect.js';
import { OPTS } from './helpers.js';

const alert = (ts: string, src: string, dst: string, sid: number, signature: string, severity: number) =>
  JSON.stringify({ timestamp: ts, flow_id: 1, event_type: 'alert', src_ip: src, src_port: 50000, dest_ip: dst, dest_port: 443, proto: 'TCP', alert: { action: 'allowed', gid: 1, signature_id: sid, rev: 1, signature, category: 'A Network Trojan was detected', severity } });

test('SNORT-01 from EVE alerts: one alert per rule and remote end, level from severity, whitelist honoured', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-eve-'));
  try {
    const file = join(dir, 'eve.json');
    writeFileSync(
      file,
      [
        alert('2024-01-01T10:00:00.000000+0000', '192.168.100.2', '93.184.216.99', 2030001, 'ET MALWARE Stalkerware check-in', 1),
        alert('2024-01-01T10:05:00.000000+0000', '192.168.100.2', '93.184.216.99', 2030001, 'ET MALWARE Stalkerware check-in', 1),
        alert('2024-01-01T10:06:00.000000+0000', '192.168.100.2', '93.184.216.98', 2030002, 'ET INFO Suspicious TLD', 3),
        // 8.8.8.8 is whitelisted in these tests.
        alert('2024-01-01T10:07:00.000000+0000', '192.168.100.2', '8.8.8.8', 2030003, 'ET DNS Query', 2),
      ].join('\n') + '\n',
    );
    const run = await analyseNetworkPaths([file], OPTS);
    assert.equal(run.evidence[0]!.format, 'suricata-eve');
    const snort = run.findings.alerts.filter((a) => a.ruleId === 'SNORT-01').map((a) => `${a.level} ${(a.details as Record<string, unknown>).sid} x${a.count}`).sort();
    assert.deepEqual(snort, ['high 2030001 x2', 'low 2030002 x1']);
    assert.match(run.findings.alerts.find((a) => a.level === 'high')!.title, /ET MALWARE Stalkerware check-in/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
