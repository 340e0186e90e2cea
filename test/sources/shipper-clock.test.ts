/**
 * Shipper clocks (src/normalize/windows/clock.ts): an NXLog collector that writes local time with a
 * `Z` puts every record 4 h late; Sysmon's own UtcTime tells, and the host's other records are
 * corrected by it, including records before the first Sysmon one (the reader looks ahead). The
 * instants below are written by hand: the Security logon happened at 10:00:00 UTC.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bufferInput } from '../../src/sources/inputs.js';
import { chooseReader } from '../../src/sources/registry.js';
import type { Event } from '../../src/normalize/event.js';

function security(host: string, shipped: string) {
  return { EventID: 4624, Channel: 'Security', SourceName: 'Microsoft-Windows-Security-Auditing', Hostname: host, TimeCreated: shipped, TargetUserName: 'alice', LogonType: '3' };
}
function sysmon(host: string, shipped: string, utc: string, pid: number) {
  return {
    EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', SourceName: 'Microsoft-Windows-Sysmon', Hostname: host, TimeCreated: shipped, UtcTime: utc,
    ProcessGuid: `{00000000-0000-0000-0000-0000000000${pid}}`, ProcessId: pid, Image: 'C:\\Windows\\System32\\whoami.exe',
  };
}

async function read(lines: object[]) {
  const input = bufferInput('nxlog.json', Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
  const chosen = chooseReader(input);
  assert.equal(chosen?.reader.format, 'nxlog-json');
  const events: Event[] = [];
  const facts: Record<string, unknown> = {};
  for await (const batch of chosen!.reader.read(input, { error: () => {}, fact: (k, v) => (facts[k] = v) })) events.push(...batch);
  return { events, facts };
}

test('a host 4 h off is corrected from its Sysmon records, also for the records before them', async () => {
  const lines: object[] = [security('WS1', '2024-01-01T14:00:00.000Z')];
  // More Sysmon records than the clock needs (three): the look-ahead skips the settled host's rest.
  for (let i = 1; i <= 50; i++) {
    const s = String(i).padStart(2, '0');
    lines.push(sysmon('WS1', `2024-01-01T14:00:${s}.000Z`, `2024-01-01 10:00:${s}.000`, 10 + i));
  }
  lines.push(security('WS1', '2024-01-01T14:01:00.000Z'));
  // Another host whose collector is right: nothing to correct.
  lines.push(security('WS2', '2024-01-01T10:02:00.000Z'));
  lines.push(sysmon('WS2', '2024-01-01T10:02:01.000Z', '2024-01-01 10:02:01.000', 99));
  const { events, facts } = await read(lines);
  const logons = events.filter((e) => e.winlog?.event_id === 4624);
  assert.deepEqual(
    logons.map((e) => [e.host?.name, new Date(e['@timestamp']).toISOString()]),
    [
      ['WS1', '2024-01-01T10:00:00.000Z'],
      ['WS1', '2024-01-01T10:01:00.000Z'],
      ['WS2', '2024-01-01T10:02:00.000Z'],
    ],
  );
  assert.equal(new Date(events.find((e) => e.process?.pid === 60)!['@timestamp']).toISOString(), '2024-01-01T10:00:50.000Z');
  assert.equal(facts.clock, 'ws1: shipper time +4 h from UTC, corrected from Sysmon UtcTime');
});
