import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Alert } from '../../src/detect/types.js';
import { HAYABUSA_COLUMNS, hayabusaTime, timelineCsv, timelineJsonl, timesketchJsonl } from '../../src/report/timeline.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'sigma:r1:e1',
  detector: 'sigma',
  ruleId: 'a7bd2da7-733b-4ba3-a6e0-97d4338ec05e',
  title: 'PowerShell Downloads a File or Script',
  level: 'high',
  time: Date.UTC(2026, 2, 14, 9, 12, 3, 123),
  host: 'WKSTN-07',
  techniques: ['T1059.001', 'T1105'],
  tactics: ['execution', 'command-and-control'],
  events: [{ id: 'e1', time: 0 }],
  count: 1,
  details: { channel: 'Microsoft-Windows-Sysmon/Operational', eventId: 1, recordId: 42, matched: { Image: 'C:\\x\\powershell.exe', CommandLine: 'powershell -c "iwr http://x"' } },
  ...over,
});

test('Hayabusa timestamp layout, UTC', () => {
  assert.equal(hayabusaTime(Date.UTC(2026, 2, 14, 9, 12, 3, 123)), '2026-03-14 09:12:03.123 +00:00');
});

test('CSV: Hayabusa columns in order, RFC 4180 quoting, one row per alert in time order', () => {
  const later = alert({ id: 'b', time: Date.UTC(2026, 2, 14, 10, 0, 0), title: 'Later', level: 'low', techniques: [], tactics: [], details: {} });
  const csv = timelineCsv([later, alert()]);
  const lines = csv.split('\r\n');
  assert.equal(lines[0], HAYABUSA_COLUMNS.join(','));
  assert.equal(lines[0], 'Timestamp,Computer,Channel,EventID,Level,RecordID,RuleTitle,Details,RuleID,MitreTactics,MitreTags');
  assert.equal(
    lines[1],
    '2026-03-14 09:12:03.123 +00:00,WKSTN-07,Microsoft-Windows-Sysmon/Operational,1,high,42,PowerShell Downloads a File or Script,' +
      '"Image: C:\\x\\powershell.exe ¦ CommandLine: powershell -c ""iwr http://x""",a7bd2da7-733b-4ba3-a6e0-97d4338ec05e,' +
      'Execution ¦ Command and Control,T1059.001 ¦ T1105',
  );
  assert.match(lines[2]!, /^2026-03-14 10:00:00.000 \+00:00,WKSTN-07,,,low,,Later,,/);
  assert.equal(lines.length, 4); // header, 2 rows, trailing empty after the last CRLF
});

test('CSV cells that a spreadsheet would run as formulas are defused', () => {
  const evil = alert({ host: '=HYPERLINK("http://x")', details: { matched: { CommandLine: '+cmd' } } });
  const row = timelineCsv([evil]).split('\r\n')[1]!;
  assert.ok(row.includes(`"'=HYPERLINK(""http://x"")"`), row);
  assert.ok(!timelineCsv([evil], { excelSafe: false }).split('\r\n')[1]!.includes("'="));
});

test('JSONL carries the columns and the alert; Timesketch lines have message, datetime, timestamp_desc', () => {
  const j = JSON.parse(timelineJsonl([alert()]).trim());
  assert.equal(j.RuleTitle, 'PowerShell Downloads a File or Script');
  assert.equal(j.alert.ruleId, 'a7bd2da7-733b-4ba3-a6e0-97d4338ec05e');
  const t = JSON.parse(timesketchJsonl([alert()]).trim());
  assert.equal(t.datetime, '2026-03-14T09:12:03.123Z');
  assert.equal(t.timestamp, Date.UTC(2026, 2, 14, 9, 12, 3, 123) * 1000);
  assert.equal(t.timestamp_desc, 'Alert Time');
  assert.match(t.message, /^\[high\] PowerShell Downloads a File or Script \| Image: /);
  assert.deepEqual(t.mitre_techniques, ['T1059.001', 'T1105']);
});
