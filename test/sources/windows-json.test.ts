/**
 * The 96 evtx-crate JSON renderings in sigma-regression go through the Windows JSON reader. The
 * expected values come from the files themselves, split independently of our reader: each record
 * of these files starts with a line that is exactly `{` (pretty-printed, concatenated objects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileInput, bufferInput } from '../../src/sources/inputs.js';
import { chooseReader } from '../../src/sources/registry.js';
import type { Event } from '../../src/normalize/event.js';
import type { Input } from '../../src/sources/types.js';
import { needShared, shared } from '../helpers/shared.js';

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n.endsWith('.json')) out.push(p);
  }
  return out;
}

async function readAll(input: Input) {
  const chosen = chooseReader(input);
  assert.ok(chosen, `no reader for ${input.name}`);
  const events: Event[] = [];
  const errors: string[] = [];
  for await (const batch of chosen.reader.read(input, { error: (w, r) => errors.push(`${w.line}: ${r}`) })) events.push(...batch);
  return { format: chosen.reader.format, events, errors };
}

test('sigma-regression JSON renderings: every record ingests with event id, computer and image intact', { skip: needShared('sigma-regression') }, async () => {
  const files = walk(shared('sigma-regression', 'regression_data'));
  assert.equal(files.length, 96);
  let records = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const pieces = text.split(/^(?=\{$)/m).filter((p) => p.trim());
    const expected = pieces.map((p) => JSON.parse(p).Event);
    const { format, events, errors } = await readAll(await fileInput(f));
    assert.equal(format, 'evtx-json', f);
    assert.deepEqual(errors, [], f);
    assert.equal(events.length, expected.length, `${f}: record count`);
    for (let i = 0; i < expected.length; i++) {
      const want = expected[i];
      const got = events[i];
      assert.equal(got.winlog?.event_id, want.System.EventID, `${f} #${i} event id`);
      assert.equal(got.host?.name, want.System.Computer, `${f} #${i} computer`);
      assert.equal(got.raw.EventID, want.System.EventID);
      assert.equal(got.raw.Computer, want.System.Computer);
      assert.equal(got['@timestamp'], Date.parse(want.System.TimeCreated['#attributes'].SystemTime.replace(/(\.\d{3})\d+/, '$1')));
      assert.equal(got.origin.record, i + 1);
      if (want.System.Channel === 'Microsoft-Windows-Sysmon/Operational' && want.EventData?.Image) {
        assert.equal(got.process?.executable, want.EventData.Image, `${f} #${i} image`);
        assert.equal(got.raw.Image, want.EventData.Image);
      }
      if (want.System.EventID === 1) {
        assert.equal(got.event.action, 'process-start');
        // Windows writes '-' for "no value"; Loupe leaves such fields out.
        const absent = (v: string) => (v === '-' || v === '' ? undefined : v);
        assert.equal(got.process?.command_line, absent(want.EventData.CommandLine));
        assert.equal(got.process?.parent?.executable, absent(want.EventData.ParentImage));
        assert.equal(got.process?.entity_id, String(want.EventData.ProcessGuid).replace(/[{}]/g, '').toUpperCase());
      }
    }
    records += expected.length;
  }
  assert.equal(records, 120); // the 96 cases hold 120 records in all (counted with the same split by hand)
});

test('NXLog lines: local EventTime is put back in UTC from the receive times', async () => {
  // Collector 4 hours behind UTC: received 23:27:42 local = 03:27:42.455Z.
  const line = JSON.stringify({ EventTime: '2020-07-21 23:27:39', EventReceivedTime: '2020-07-21 23:27:42', '@timestamp': '2020-07-22T03:27:42.455Z', Hostname: 'WS5.example', Channel: 'security', EventID: 4688, NewProcessId: '0xea8', NewProcessName: 'C:\\ProgramData\\x.exe', ProcessId: '0x1e7c', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', SourceName: 'Microsoft-Windows-Security-Auditing' });
  const { format, events } = await readAll(bufferInput('t.json', Buffer.from(line + '\n')));
  assert.equal(format, 'nxlog-json');
  assert.equal(events[0]['@timestamp'], Date.UTC(2020, 6, 22, 3, 27, 39));
  assert.equal(events[0].winlog?.channel, 'Security');
  assert.equal(events[0].process?.pid, 0xea8);
  assert.equal(events[0].process?.parent?.pid, 0x1e7c);
  assert.equal(events[0].process?.parent?.executable, 'C:\\Windows\\System32\\cmd.exe');
});

test('a truncated line, garbage and a bad record are each reported with their line; the rest is read', async () => {
  const good = (n: number) => JSON.stringify({ EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'h', UtcTime: `2020-01-01 00:00:0${n}.000`, Image: 'C:\\a.exe', ProcessGuid: `{00000000-0000-0000-0000-00000000000${n}}`, ProcessId: n });
  const text = [good(1), '{"EventID": 1, "Channel": "Sysm', '\u0000\u0001\u0002garbage', good(2), '{"no": "event id", "Channel": "x"}', good(3)].join('\n') + '\n';
  const { events, errors } = await readAll(bufferInput('mixed.json', Buffer.from(text)));
  assert.equal(events.length, 3);
  assert.equal(errors.length, 3);
  assert.match(errors[0], /^2: invalid JSON/);
  assert.match(errors[1], /^3: invalid JSON/);
  assert.match(errors[2], /^5: not a Windows event record/);
});

test("NXLog keeps Sysmon's own EventType (moved aside as EventTypeOrignal) and drops its severity", async () => {
  const base = { Channel: 'Microsoft-Windows-Sysmon/Operational', Hostname: 'ws1', UtcTime: '2020-01-01 00:00:00.000', Image: 'C:\\x.exe', ProcessGuid: '{00000000-0000-0000-0000-000000000001}', ProcessId: 1 };
  const lines = [
    { ...base, EventID: 12, EventType: 'DeleteKey', EventTypeOrignal: 'INFO', TargetObject: 'HKLM\\SOFTWARE\\Evil' },
    { ...base, EventID: 13, EventType: 'SetValue', EventTypeOrignal: 'INFO', TargetObject: 'HKLM\\SOFTWARE\\Run\\x', Details: 'C:\\x.exe' },
    { ...base, EventID: 3, EventType: 'INFO' },
    // Some NXLog configurations leave the event's own value without moving anything aside.
    { ...base, EventID: 12, EventType: 'CreateKey', TargetObject: 'HKLM\\System\\CurrentControlSet\\Control\\MiniNt' },
    { SourceName: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', Hostname: 'ws1', TimeCreated: '2020-01-01T00:00:00Z', EventID: 4688, EventType: 'AUDIT_SUCCESS' },
  ].map((o) => JSON.stringify(o)).join('\n');
  const { events } = await readAll(bufferInput('n.json', Buffer.from(lines + '\n')));
  assert.equal(events[0].raw.EventType, 'DeleteKey');
  assert.equal(events[0].event.action, 'registry-key-delete');
  assert.equal(events[1].raw.EventType, 'SetValue');
  assert.equal(events[2].raw.EventType, undefined);
  assert.equal(events[3].raw.EventType, 'CreateKey');
  assert.equal(events[3].event.action, 'registry-key-create');
  assert.equal(events[4].raw.EventType, undefined);
});
