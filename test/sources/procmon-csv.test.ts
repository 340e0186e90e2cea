/**
 * Procmon CSV: a hand-written export with 12:xx AM/PM rows, a service name as port, a resolved
 * host name, a damaged row, and the operations Beagle got wrong. Expected values worked out by
 * hand from the rows below (times: 12-hour rules 12 AM = 0 h, 12 PM = 12 h; fractions cut at ms).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bufferInput } from '../../src/sources/inputs.js';
import { procmonCsvReader } from '../../src/sources/procmon-csv.js';
import { parseTimeOfDay, parseDateTime } from '../../src/sources/procmon/time.js';
import type { Event } from '../../src/normalize/event.js';
import { chooseReader } from '../../src/sources/registry.js';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const H = '"Time of Day","Process Name","PID","Operation","Path","Result","Detail","Date & Time","Image Path","Parent PID"';
const rows = [
  // 1: 12:00:01 AM on 3/14/2024 → 00:00:01.0000000
  '"12:00:01.0000000 AM","explorer.exe","1000","Process Create","C:\\Windows\\System32\\cmd.exe","SUCCESS","PID: 2000, Command line: cmd.exe /c whoami, echo ok","3/14/2024 12:00:01 AM","C:\\Windows\\explorer.exe","900"',
  // 2: the child's own Process Start: already announced by row 1 → other
  '"12:00:01.0000010 AM","cmd.exe","2000","Process Start","","SUCCESS","Parent PID: 1000, Command line: cmd.exe /c whoami, echo ok, Current directory: C:\\Users\\bob\\, Environment: ...","3/14/2024 12:00:01 AM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 3: 12:30:00.1234567 PM → 12:30:00.123
  '"12:30:00.1234567 PM","cmd.exe","2000","CreateFile","C:\\Users\\bob\\a.txt","SUCCESS","Desired Access: Generic Read, Disposition: Open, Options: , Attributes: n/a, ShareMode: Read, AllocationSize: n/a, OpenResult: Opened","3/14/2024 12:30:00 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 4: CreateFile that created the file → file-create
  '"12:30:01.0000000 PM","cmd.exe","2000","CreateFile","C:\\Users\\bob\\drop.exe","SUCCESS","Desired Access: Generic Write, Disposition: OverwriteIf, Options: , Attributes: N, ShareMode: None, AllocationSize: 0, OpenResult: Created","3/14/2024 12:30:01 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 5: WriteFile → file-modify; 1:05 PM → 13:05
  '"1:05:00.5000000 PM","cmd.exe","2000","WriteFile","C:\\Users\\bob\\drop.exe","SUCCESS","Offset: 0, Length: 4096","3/14/2024 1:05:00 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 6: damaged row: 3 fields
  '"1:06:00.0000000 PM","cmd.exe","2000"',
  // 7: TCP Connect to a resolved name with a service name as port
  '"1:07:00.0000000 PM","cmd.exe","2000","TCP Connect","DESKTOP-1.lan:49712 -> example.com:https","SUCCESS","Length: 0, mss: 1460","3/14/2024 1:07:00 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 8: TCP Send on a numeric endpoint (first sighting) then 9: a second send on it (traffic → other)
  '"1:07:01.0000000 PM","cmd.exe","2000","TCP Send","10.0.0.5:49713 -> 93.184.216.34:443","SUCCESS","Length: 517","3/14/2024 1:07:01 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  '"1:07:02.0000000 PM","cmd.exe","2000","TCP Send","10.0.0.5:49713 -> 93.184.216.34:443","SUCCESS","Length: 100","3/14/2024 1:07:02 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 10: RegSetValue, 11: RegCreateKey that only opened an existing key, 12: RegQueryValue
  '"1:08:00.0000000 PM","cmd.exe","2000","RegSetValue","HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\upd","SUCCESS","Type: REG_SZ, Length: 40, Data: C:\\Users\\bob\\drop.exe","3/14/2024 1:08:00 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  '"1:08:01.0000000 PM","cmd.exe","2000","RegCreateKey","HKCU\\Software\\Foo","SUCCESS","Desired Access: All Access, Disposition: REG_OPENED_EXISTING_KEY","3/14/2024 1:08:01 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  '"1:08:02.0000000 PM","cmd.exe","2000","RegQueryValue","HKLM\\System\\CurrentControlSet\\Control\\Nls\\CodePage\\ACP","SUCCESS","Type: REG_SZ, Length: 8, Data: 1252","3/14/2024 1:08:02 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 13: delete, 14: rename
  '"1:09:00.0000000 PM","cmd.exe","2000","SetDispositionInformationFile","C:\\Users\\bob\\a.txt","SUCCESS","Delete: True","3/14/2024 1:09:00 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  '"1:09:01.0000000 PM","cmd.exe","2000","SetRenameInformationFile","C:\\Users\\bob\\drop.exe","SUCCESS","ReplaceIfExists: False, FileName: C:\\Users\\bob\\svchost.exe","3/14/2024 1:09:01 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 15: a failed open: other
  '"1:09:02.0000000 PM","cmd.exe","2000","CreateFile","C:\\nope.dll","NAME NOT FOUND","Desired Access: Read","3/14/2024 1:09:02 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 16: unreadable time
  '"25:00:00.0000000 PM","cmd.exe","2000","ReadFile","C:\\x","SUCCESS","","3/14/2024 1:10:00 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  // 17: Load Image, 18: Process Exit at 11:59:59 PM
  '"11:59:58.0000000 PM","cmd.exe","2000","Load Image","C:\\Windows\\System32\\ntdll.dll","SUCCESS","Image Base: 0x7ff8, Image Size: 0x1f0000","3/14/2024 11:59:58 PM","C:\\Windows\\System32\\cmd.exe","1000"',
  '"11:59:59.9999999 PM","cmd.exe","2000","Process Exit","","SUCCESS","Exit Status: 0, User Time: 0.0000000 seconds","3/14/2024 11:59:59 PM","C:\\Windows\\System32\\cmd.exe","1000"',
];
const CSV = `\ufeff${H}\r\n${rows.join('\r\n')}\r\n`;

async function read(text: string, options?: Record<string, unknown>) {
  const errors: string[] = [];
  const facts: Record<string, unknown> = {};
  const events: Event[] = [];
  const ctx = { error: (w: { line?: number; record?: number }, r: string) => errors.push(`line ${w.line ?? '-'}: ${r}`), fact: (k: string, v: unknown) => (facts[k] = v), options };
  for await (const b of procmonCsvReader.read(bufferInput('t.csv', Buffer.from(text)), ctx)) events.push(...b);
  return { errors, facts, events };
}

const day = Date.UTC(2024, 2, 14);
const at = (h: number, m: number, s: number, ms = 0) => day + ((h * 60 + m) * 60 + s) * 1000 + ms;

test('12-hour clock: 12 AM is hour 0, 12 PM is hour 12, fractions of 7 digits cut at ms', () => {
  assert.deepEqual(parseTimeOfDay('12:00:01.0000000 AM'), { ms: 1000, sub: 0 });
  assert.equal(parseTimeOfDay('12:30:00.1234567 PM')!.ms, ((12 * 60 + 30) * 60) * 1000 + 123);
  assert.equal(parseTimeOfDay('1:05:00 PM')!.ms, 13 * 3600_000 + 5 * 60_000);
  assert.equal(parseTimeOfDay('11:59:59.9999999 PM')!.ms, 86_399_999);
  assert.equal(parseTimeOfDay('13:00:00 PM'), undefined);
  assert.equal(parseTimeOfDay('23:15:00.5')!.ms, 83_700_500); // 24-hour clock: (23·3600 + 15·60) s + 0.5 s
  // 5/6/2019 reads both ways; 25/6/2019 only day-first
  assert.deepEqual(parseDateTime('5/6/2019', 'mdy')!.m, 5);
  assert.deepEqual(parseDateTime('5/6/2019', 'dmy')!.m, 6);
  assert.equal(parseDateTime('25/6/2019 1:00:00 PM', 'mdy')!.order, 'dmy');
});

test('Procmon CSV: events, times, attribution and errors as worked out by hand', async () => {
  assert.equal(procmonCsvReader.sniff(bufferInput('t.csv', Buffer.from(CSV))), 0.95);
  const { errors, events } = await read(CSV);
  // 18 data rows: row 6 damaged, row 16 bad time → 16 events, 2 errors with their lines (+1 for the header)
  assert.equal(events.length, 16);
  assert.deepEqual(errors, ['line 7: row has 3 fields where the header has 10; skipped', 'line 17: unreadable Time of Day "25:00:00.0000000 PM"']);
  const by = (rec: number) => events.find((e) => e.origin.line === rec + 1)!;
  // row 1: Process Create → the child's start, by the parent
  const r1 = by(1);
  assert.equal(r1.event.action, 'process-start');
  assert.equal(r1['@timestamp'], at(0, 0, 1));
  assert.equal(r1.process?.pid, 2000);
  assert.equal(r1.process?.executable, 'C:\\Windows\\System32\\cmd.exe');
  assert.equal(r1.process?.command_line, 'cmd.exe /c whoami, echo ok');
  assert.equal(r1.process?.parent?.pid, 1000);
  assert.equal(r1.process?.parent?.executable, 'C:\\Windows\\explorer.exe');
  assert.equal(r1.host?.name, 'procmon:t.csv');
  assert.equal(by(2).event.action, 'other');
  // rows 3-5: an open is an access, a create is a create, a write a modify; 12:30 PM → 12:30
  assert.equal(by(3).event.action, 'file-access');
  assert.equal(by(3)['@timestamp'], at(12, 30, 0, 123));
  assert.equal(by(4).event.action, 'file-create');
  assert.equal(by(5).event.action, 'file-modify');
  assert.equal(by(5)['@timestamp'], at(13, 5, 0, 500));
  // row 7: a host name and a service name: destination.domain example.com, port 443
  const r7 = by(7);
  assert.equal(r7.event.action, 'network-connection');
  assert.deepEqual(r7.destination, { domain: 'example.com', port: 443 });
  assert.deepEqual(r7.source, { domain: 'DESKTOP-1.lan', port: 49712 });
  assert.equal(r7.network?.protocol, 'https');
  assert.equal(by(8).event.action, 'network-connection');
  assert.deepEqual(by(8).destination, { ip: '93.184.216.34', port: 443 });
  assert.equal(by(8).network?.bytes, 517);
  assert.equal(by(9).event.action, 'other');
  // registry
  assert.equal(by(10).event.action, 'registry-value-set');
  assert.deepEqual(by(10).registry, { path: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\upd', hive: 'HKCU', key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run', value: 'upd', data: { strings: ['C:\\Users\\bob\\drop.exe'], type: 'REG_SZ' } });
  assert.equal(by(11).event.action, 'registry-key-access');
  assert.equal(by(12).event.action, 'registry-key-access');
  assert.equal(by(12).registry?.path, 'HKLM\\System\\CurrentControlSet\\Control\\Nls\\CodePage');
  assert.equal(by(13).event.action, 'file-delete');
  assert.equal(by(14).event.action, 'file-rename');
  assert.equal(by(14).file?.path, 'C:\\Users\\bob\\svchost.exe');
  assert.equal(by(14).file?.original_path, 'C:\\Users\\bob\\drop.exe');
  assert.equal(by(15).event.action, 'other');
  assert.equal(by(15).event.outcome, 'failure');
  assert.equal(by(17).event.action, 'image-load');
  const exit = by(18);
  assert.equal(exit.event.action, 'process-end');
  assert.equal(exit['@timestamp'], at(23, 59, 59, 999));
  assert.equal(exit.process?.exit_code, 0);
});

test('Procmon CSV without a date column: the date comes from an option, else 1970 is said, midnight is crossed', async () => {
  const h = '"Time of Day","Process Name","PID","Operation","Path","Result","Detail"';
  const text = [h, '"11:59:59.0000000 PM","a.exe","10","ReadFile","C:\\a","SUCCESS",""', '"12:00:00.5000000 AM","a.exe","10","ReadFile","C:\\b","SUCCESS",""'].join('\n');
  const withOpt = await read(text, { 'procmon.date': '2024-02-28', 'procmon.utcOffset': '+01:00' });
  assert.deepEqual(withOpt.errors, []);
  // 23:59:59 local on 28 Feb at UTC+1 → 22:59:59Z; the next row crossed midnight → 29 Feb 00:00:00.5 local
  assert.equal(withOpt.events[0]['@timestamp'], Date.UTC(2024, 1, 28, 22, 59, 59));
  assert.equal(withOpt.events[1]['@timestamp'], Date.UTC(2024, 1, 28, 23, 0, 0, 500));
  assert.match(String(withOpt.facts.midnight), /1 time/);
  const none = await read(text);
  assert.equal(none.errors.length, 1);
  assert.match(none.errors[0], /no "Date & Time" column.*1970-01-01/);
  assert.equal(none.events[0]['@timestamp'], Date.UTC(1970, 0, 1, 23, 59, 59));
  assert.match(String(none.facts['time zone']), /read as UTC/);
});

test('Procmon CSV: a quote that never closes is reported with its line, the rows before are read', async () => {
  const text = `${H}\n${rows[2]}\n"1:00:00 PM","x.exe","1","ReadFile","C:\\unterminated,SUCCESS\n`;
  const { errors, events } = await read(text);
  assert.equal(events.length, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^line 3: record cut short/);
});

test('Procmon CSV through the pipeline: recognised by content, graph ties activity to the started process', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-procmon-'));
  const f = join(dir, 'capture.txt'); // the name says nothing
  writeFileSync(f, CSV);
  assert.equal(chooseReader(bufferInput(f, Buffer.from(CSV)))?.reader.format, 'procmon-csv');
  const c = openSqliteStore(':memory:').openCase('t');
  const r = await analyzePaths([f], { store: c });
  assert.equal(r.files[0].events, 16);
  assert.equal(r.files[0].errors, 2);
  const k = c.counts();
  // by hand: launched explorer(1000)→cmd(2000) 1; wrote: drop.exe (create + write) 1;
  // accessed: a.txt 1; deleted a.txt 1; renamed svchost.exe 1; changed_value Run 1; read_key: Foo, CodePage 2;
  // loaded ntdll 1; connected_to 93.184.216.34 1 and the name-only endpoint's Domain 1 = 2;
  // file_of: cmd.exe, explorer.exe 2
  assert.deepEqual(k.edgesByType, { accessed: 1, changed_value: 1, connected_to: 2, deleted: 1, file_of: 2, launched: 1, loaded: 1, read_key: 2, renamed: 1, wrote: 1 });
  // processes: explorer (placeholder parent, pid 1000) and cmd (2000) = 2
  assert.equal(k.nodesByType.Process, 2);
});
