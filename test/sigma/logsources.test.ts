import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLogsource } from '../../src/detect/sigma/logsources.js';
import { engineOf, eventOf, rule, run, SYSMON } from './helpers.js';

const procRule = rule(`selection:\n    Image|endswith: '\\whoami.exe'\n    ParentImage|endswith: '\\cmd.exe'\ncondition: selection`, {
  logsource: 'category: process_creation\nproduct: windows',
});

test('process_creation reads Sysmon 1 and Security 4688 (Image from NewProcessName), nothing else', () => {
  const engine = engineOf(procRule);
  const sysmon1 = { Channel: SYSMON, EventID: 1, Image: 'C:\\Windows\\System32\\whoami.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe' };
  const sec4688 = { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\whoami.exe', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe' };
  assert.equal(run(engine, [sysmon1]).length, 1);
  assert.equal(run(engine, [sec4688]).length, 1);
  assert.equal(run(engine, [{ ...sec4688, Channel: 'security' }]).length, 1, 'NXLog lower-case channel');
  assert.equal(run(engine, [{ ...sysmon1, EventID: 3 }]).length, 0);
  assert.equal(run(engine, [{ ...sec4688, EventID: 4624 }]).length, 0);
  assert.equal(run(engine, [{ ...sysmon1, Channel: 'Application' }]).length, 0);
  const [a] = run(engine, [sec4688]);
  assert.deepEqual(a!.details!.matched, { NewProcessName: sec4688.NewProcessName, ParentProcessName: sec4688.ParentProcessName });
});

test('registry_add / registry_delete add the EventType condition of thor.yml', () => {
  const add = engineOf(rule(`selection:\n    TargetObject|contains: '\\Run'\ncondition: selection`, { logsource: 'category: registry_add\nproduct: windows' }));
  const ev = { Channel: SYSMON, EventID: 12, TargetObject: 'HKU\\x\\Software\\Microsoft\\Windows\\CurrentVersion\\Run' };
  assert.equal(run(add, [{ ...ev, EventType: 'CreateKey' }]).length, 1);
  assert.equal(run(add, [{ ...ev, EventType: 'DeleteKey' }]).length, 0);
  const del = engineOf(rule(`selection:\n    TargetObject|contains: '\\Run'\ncondition: selection`, { logsource: 'category: registry_delete\nproduct: windows' }));
  assert.equal(run(del, [{ ...ev, EventType: 'DeleteKey' }]).length, 1);
  assert.equal(run(del, [{ ...ev, EventType: 'DeleteValue' }]).length, 1, 'one alert even though two variants share the event id');
  assert.equal(run(del, [{ ...ev, EventType: 'CreateKey' }]).length, 0);
});

test('service rules are indexed by the EventID their detection requires', () => {
  const engine = engineOf(rule(`selection:\n    EventID: 4624\n    LogonType: 10\ncondition: selection`, { logsource: 'product: windows\nservice: security' }));
  const v = engine.index.rules[0]!.variants[0]!;
  assert.deepEqual(v.eventIds, [4624]);
  assert.equal(engine.index.candidates('win:security', 4625).list.length, 0);
  assert.equal(run(engine, [{ Channel: 'Security', EventID: 4624, LogonType: '10' }]).length, 1);
  assert.equal(run(engine, [{ Channel: 'Security', EventID: 4625, LogonType: '10' }]).length, 0);
});

test('PowerShell script blocks, Defender, product-only rules', () => {
  const ps = engineOf(rule(`selection:\n    ScriptBlockText|contains: 'Invoke-Mimikatz'\ncondition: selection`, { logsource: 'category: ps_script\nproduct: windows' }));
  assert.equal(run(ps, [{ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104, ScriptBlockText: 'Invoke-Mimikatz -x' }]).length, 1);
  assert.equal(run(ps, [{ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4103, ScriptBlockText: 'Invoke-Mimikatz' }]).length, 0);
  const av = engineOf(rule(`selection:\n    Signature|contains: 'Mimikatz'\ncondition: selection`, { logsource: 'category: antivirus' }));
  assert.equal(run(av, [{ Channel: 'Microsoft-Windows-Windows Defender/Operational', EventID: 1116, ThreatName: 'HackTool:Win32/Mimikatz' }]).length, 1);
  const any = engineOf(rule(`selection:\n    Payload|contains: 'evil'\ncondition: selection`, { logsource: 'product: windows' }));
  assert.equal(run(any, [{ Channel: 'Some-Custom/Channel', EventID: 7, Payload: 'evil' }]).length, 1);
});

test('Zeek: product zeek services are Zeek logs; dns and proxy categories read Zeek dns and http', () => {
  const z = engineOf(rule(`selection:\n    query|endswith: '.onion'\ncondition: selection`, { logsource: 'product: zeek\nservice: dns' }));
  const dns = eventOf({ query: 'abc.onion', 'id.orig_h': '10.0.0.5' }, { zeek: { log: 'dns' } });
  assert.equal(run(z, [dns]).length, 1);
  assert.equal(run(z, [eventOf({ query: 'abc.onion' }, { zeek: { log: 'http' } })]).length, 0);
  const proxy = engineOf(rule(`selection:\n    c-uri|contains: '/wp-admin/'\n    cs-method: POST\ncondition: selection`, { logsource: 'category: proxy' }));
  const http = eventOf({ uri: '/blog/wp-admin/x.php', method: 'POST', host: 'a' }, { zeek: { log: 'http' } });
  assert.equal(run(proxy, [http]).length, 1);
});

test('log sources with no Loupe source load but are marked unmapped', () => {
  const r = resolveLogsource({ product: 'aws', service: 'cloudtrail' });
  assert.equal(r.mapped, false);
  assert.equal(resolveLogsource({ category: 'process_creation', product: 'windows' }).variants.length, 2);
  assert.equal(resolveLogsource({ category: 'process_creation', product: 'windows', service: 'sysmon' }).variants.length, 1);
  const engine = engineOf(rule(`selection:\n    eventName: ConsoleLogin\ncondition: selection`, { logsource: 'product: aws\nservice: cloudtrail' }));
  assert.equal(engine.failures.length, 0);
  assert.equal(engine.index.rules[0]!.mapped, false);
});
