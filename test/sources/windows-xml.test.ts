/**
 * Windows event XML: wevtutil output (no root), an Event Viewer export (<Events> root), and a
 * truncated file. Fixtures written by hand in the shapes those tools produce; expectations read
 * off the fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bufferInput } from '../../src/sources/inputs.js';
import { windowsXmlReader } from '../../src/sources/windows-xml.js';
import { chooseReader } from '../../src/sources/registry.js';
import type { Event } from '../../src/normalize/event.js';

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const sysmon1 = (rec: number, pid: number, cmd: string) =>
  `<Event xmlns='${NS}'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2024-03-14T13:05:00.1234567Z'/><EventRecordID>${rec}</EventRecordID><Correlation/><Execution ProcessID='2044' ThreadID='3012'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws1.corp.local</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data><Data Name='UtcTime'>2024-03-14 13:05:00.123</Data><Data Name='ProcessGuid'>{11111111-2222-3333-4444-555555555555}</Data><Data Name='ProcessId'>${pid}</Data><Data Name='Image'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='CommandLine'>${cmd}</Data><Data Name='ParentProcessGuid'>{11111111-2222-3333-4444-000000000000}</Data><Data Name='ParentProcessId'>900</Data><Data Name='ParentImage'>C:\\Windows\\explorer.exe</Data><Data Name='User'>CORP\\bob</Data></EventData></Event>`;
const sec4688 = `<Event xmlns="${NS}"><System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}"/><EventID>4688</EventID><TimeCreated SystemTime="2024-03-14T13:06:00.000000000Z"/><EventRecordID>77</EventRecordID><Channel>Security</Channel><Computer>ws1.corp.local</Computer></System><EventData><Data Name="SubjectUserName">bob</Data><Data Name="NewProcessId">0x1a4</Data><Data Name="NewProcessName">C:\\Windows\\System32\\whoami.exe</Data><Data Name="ProcessId">0x7d0</Data><Data Name="CommandLine">whoami /all &amp;&amp; echo &quot;done&quot; &#x263A;</Data><Data Name="ParentProcessName">C:\\Windows\\System32\\cmd.exe</Data></EventData></Event>`;
const system7045 = `<Event xmlns="${NS}"><System><Provider Name="Service Control Manager"/><EventID Qualifiers="16384">7045</EventID><TimeCreated SystemTime="2024-03-14T13:07:00Z"/><EventRecordID>5</EventRecordID><Channel>System</Channel><Computer>ws1.corp.local</Computer></System><EventData><Data Name="ServiceName">evil</Data><Data Name="ImagePath">C:\\evil.exe</Data></EventData></Event>`;
const unnamed = `<Event xmlns="${NS}"><System><Provider Name="Application Error"/><EventID>1000</EventID><TimeCreated SystemTime="2024-03-14T13:08:00Z"/><Channel>Application</Channel><Computer>ws1</Computer></System><EventData><Data>first</Data><Data>second</Data><Data>third</Data><Binary>00FF</Binary></EventData></Event>`;
const userData = `<Event xmlns="${NS}"><System><Provider Name="Microsoft-Windows-Eventlog"/><EventID>1102</EventID><TimeCreated SystemTime="2024-03-14T13:09:00Z"/><Channel>Security</Channel><Computer>ws1</Computer></System><UserData><LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog"><SubjectUserSid>S-1-5-21-1</SubjectUserSid><SubjectUserName>bob</SubjectUserName></LogFileCleared></UserData></Event>`;

async function read(text: string | Buffer) {
  const errors: string[] = [];
  const events: Event[] = [];
  const input = bufferInput('x.xml', Buffer.isBuffer(text) ? text : Buffer.from(text));
  for await (const b of windowsXmlReader.read(input, { error: (w, r) => errors.push(`${w.record ?? '-'}@${w.line ?? '-'}: ${r}`) })) events.push(...b);
  return { errors, events };
}

test('wevtutil output without a root: every <Event>, normalised', async () => {
  const text = [sysmon1(10, 1234, 'cmd.exe /c &quot;whoami&quot;'), sec4688, system7045, unnamed, userData].join('\r\n') + '\r\n';
  assert.equal(chooseReader(bufferInput('dump.txt', Buffer.from(text)))?.reader.format, 'windows-xml');
  const { errors, events } = await read(text);
  assert.deepEqual(errors, []);
  assert.equal(events.length, 5);
  const [s, p, svc, app, clr] = events;
  assert.equal(s.event.action, 'process-start');
  assert.equal(s['@timestamp'], Date.UTC(2024, 2, 14, 13, 5, 0, 123));
  assert.equal(s.process?.pid, 1234);
  assert.equal(s.process?.command_line, 'cmd.exe /c "whoami"');
  assert.equal(s.process?.parent?.pid, 900);
  assert.equal(s.host?.name, 'ws1.corp.local');
  assert.equal(s.winlog?.record_id, 10);
  assert.equal(s.origin.record, 1);
  assert.equal(s.origin.line, 1);
  assert.equal(s.raw.EventID, 1);
  assert.equal(s.raw.Image, 'C:\\Windows\\System32\\cmd.exe');
  // Security 4688: hex pids, entities and a character reference decoded
  assert.equal(p.event.action, 'process-start');
  assert.equal(p.process?.pid, 0x1a4);
  assert.equal(p.process?.command_line, 'whoami /all && echo "done" \u263a');
  assert.equal(p.origin.line, 2);
  assert.equal(svc.winlog?.channel, 'System');
  assert.equal(svc.raw.ServiceName, 'evil');
  // unnamed Data → Data, Data1, Data2
  assert.equal(app.raw.Data, 'first');
  assert.equal(app.raw.Data1, 'second');
  assert.equal(app.raw.Data2, 'third');
  assert.equal(app.raw.Binary, '00FF');
  // UserData flattened one level
  assert.equal(clr.raw.SubjectUserName, 'bob');
  assert.equal(clr.raw.SubjectUserSid, 'S-1-5-21-1');
});

test('Event Viewer export with <Events> root and XML declaration, in UTF-16 with BOM', async () => {
  const text = `<?xml version="1.0" encoding="utf-16"?>\r\n<Events>\r\n${sysmon1(11, 42, 'a')}\r\n<Event xmlns="${NS}"><System><Provider Name="X"/><EventID>4624</EventID><TimeCreated SystemTime="2024-03-14T14:00:00.5Z"/><Channel>Security</Channel><Computer>ws2</Computer></System><EventData><Data Name="TargetUserName">alice</Data><Data Name="LogonType">3</Data><Data Name="IpAddress">10.0.0.9</Data></EventData><RenderingInfo Culture="en-US"><Message>An account was successfully logged on.</Message></RenderingInfo></Event>\r\n</Events>`;
  const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  assert.equal(windowsXmlReader.sniff(bufferInput('e.xml', buf)), 0.95);
  const { errors, events } = await read(buf);
  assert.deepEqual(errors, []);
  assert.equal(events.length, 2);
  assert.equal(events[0].process?.pid, 42);
  assert.equal(events[0].origin.line, 3);
  assert.equal(events[1].event.action, 'logon');
  assert.equal(events[1]['@timestamp'], Date.UTC(2024, 2, 14, 14, 0, 0, 500));
});

test('a truncated file: the records before the cut are read, the cut is reported with its record and line', async () => {
  const whole = [sysmon1(1, 1, 'a'), sysmon1(2, 2, 'b'), sysmon1(3, 3, 'c')].join('\n');
  const cut = whole.slice(0, whole.lastIndexOf('<Data Name=\'Image\'>'));
  const { errors, events } = await read(cut);
  assert.equal(events.length, 2);
  assert.deepEqual(errors, ['3@3: the file ends inside this record (truncated); the records before it were read']);
});

test('a record without EventID or with a broken tag is reported; the rest is read', async () => {
  const noId = `<Event xmlns="${NS}"><System><Provider Name="X"/><TimeCreated SystemTime="2024-03-14T14:00:00Z"/><Channel>Security</Channel><Computer>ws2</Computer></System></Event>`;
  const text = [sysmon1(1, 1, 'a'), noId, sysmon1(3, 3, 'c')].join('\n');
  const { errors, events } = await read(text);
  assert.equal(events.length, 2);
  assert.deepEqual(errors, ['2@2: record has no EventID']);
});
