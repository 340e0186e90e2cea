/**
 * Loupe's built-in rules for turning Windows event logging off: each fires on the records an
 * attacker leaves (written by hand in the shape Sysmon and PowerShell log them) and stays silent
 * on the harmless neighbours.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { builtinRulesDir } from '../../src/detect/sigma/loader.js';
import { run, SYSMON } from './helpers.js';

const engine = SigmaEngine.fromPaths([builtinRulesDir()]);
const titles = (records: Parameters<typeof run>[1]) => run(engine, records).map((a) => a.title).sort();

test('command-line auditing set to 0 fires; set to 1 does not', () => {
  const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Audit\\ProcessCreationIncludeCmdLine_Enabled';
  assert.deepEqual(titles([{ Channel: SYSMON, EventID: 13, EventType: 'SetValue', TargetObject: key, Details: 'DWORD (0x00000000)', Image: 'C:\\Windows\\system32\\reg.exe' }]), ['Process Command-Line Auditing Turned Off']);
  assert.deepEqual(titles([{ Channel: SYSMON, EventID: 13, EventType: 'SetValue', TargetObject: key, Details: 'DWORD (0x00000001)' }]), []);
});

test('EventLog service start type set to 4 fires; another service, or start type 2, does not', () => {
  assert.deepEqual(titles([{ Channel: SYSMON, EventID: 13, EventType: 'SetValue', TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Start', Details: 'DWORD (0x00000004)' }]), ['Windows Event Log Service Set to Disabled']);
  assert.deepEqual(titles([{ Channel: SYSMON, EventID: 13, EventType: 'SetValue', TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Start', Details: 'DWORD (0x00000002)' }]), []);
  assert.deepEqual(titles([{ Channel: SYSMON, EventID: 13, EventType: 'SetValue', TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\Spooler\\Start', Details: 'DWORD (0x00000004)' }]), []);
});

test('PowerShell stopping or disabling EventLog fires; restarting it or stopping another service does not', () => {
  const ps = (text: string) => ({ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104, ScriptBlockText: text });
  const name = 'Event Log Service Stopped or Disabled from PowerShell';
  assert.deepEqual(titles([ps(' Stop-Service -Name EventLog -Force ')]), [name]);
  assert.deepEqual(titles([ps('Set-Service -Name EventLog -StartUpType Disabled')]), [name]);
  assert.deepEqual(titles([ps('Restart-Service -Name EventLog')]), []);
  assert.deepEqual(titles([ps('Stop-Service -Name Spooler -Force')]), []);
});

test('sc and net stopping or disabling EventLog fire; sc query does not', () => {
  const pc = (image: string, cmd: string) => ({ Channel: SYSMON, EventID: 1, Image: image, CommandLine: cmd });
  const name = 'Event Log Service Stopped or Disabled from the Command Line';
  assert.deepEqual(titles([pc('C:\\Windows\\System32\\sc.exe', 'sc stop eventlog')]), [name]);
  assert.deepEqual(titles([pc('C:\\Windows\\System32\\sc.exe', 'sc config EventLog start= disabled')]), [name]);
  assert.deepEqual(titles([pc('C:\\Windows\\System32\\net.exe', 'net stop eventlog')]), [name]);
  assert.deepEqual(titles([pc('C:\\Windows\\System32\\sc.exe', 'sc query eventlog')]), []);
});
