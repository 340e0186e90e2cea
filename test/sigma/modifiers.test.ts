import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fires, loadError } from './helpers.js';

const sel = (body: string) => `selection:\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\ncondition: selection`;

test('plain values match whole and case-insensitively', () => {
  assert.equal(fires(sel(`Image: 'C:\\Windows\\System32\\cmd.exe'`), { Image: 'c:\\windows\\system32\\CMD.EXE' }), true);
  assert.equal(fires(sel(`Image: 'C:\\Windows\\System32\\cmd.exe'`), { Image: 'C:\\Windows\\System32\\cmd.exe ' }), false);
  assert.equal(fires(sel(`Image: 'cmd.exe'`), {}), false, 'absent field never equals');
});

test('numbers and hex keep their text: 0x1F stays 0x1F, EventID 4688 matches the number 4688', () => {
  assert.equal(fires(sel('GrantedAccess: 0x1F'), { GrantedAccess: '0x1f' }), true);
  assert.equal(fires(sel('GrantedAccess: 0x1F'), { GrantedAccess: '31' }), false);
  assert.equal(fires(sel('EventID: 4688'), { EventID: 4688 }), true);
  assert.equal(fires(sel('LogonType: 3'), { LogonType: '3' }), true);
  assert.equal(fires(sel('Mode: 0777'), { Mode: '0777' }), true);
  assert.equal(fires(sel(`Signed: 'false'`), { Signed: false }), true);
  assert.equal(fires(sel('Signed: false'), { Signed: 'false' }), true);
});

test('wildcards * and ? and the specification escapes', () => {
  // C:\\* is a backslash then a wildcard; C:\* would be a literal asterisk
  assert.equal(fires(sel(`Image: 'C:\\\\*\\cmd.exe'`), { Image: 'C:\\Windows\\System32\\cmd.exe' }), true);
  assert.equal(fires(sel(`Image: 'C:\\*\\cmd.exe'`), { Image: 'C:\\Windows\\System32\\cmd.exe' }), false);
  assert.equal(fires(sel(`Image: 'C:\\*\\cmd.exe'`), { Image: 'C:*\\cmd.exe' }), true);
  assert.equal(fires(sel(`Image: 'prog?.exe'`), { Image: 'progA.exe' }), true);
  assert.equal(fires(sel(`Image: 'prog?.exe'`), { Image: 'progAB.exe' }), false);
  assert.equal(fires(sel(`Image: 'a*b*c'`), { Image: 'a-x-b-y-c' }), true);
  assert.equal(fires(sel(`Image: 'a*b*c'`), { Image: 'a-c-b' }), false);
  assert.equal(fires(sel(`Image: 'abc*abc'`), { Image: 'abc' }), false, 'prefix and suffix may not overlap');
  // \* is a literal asterisk
  assert.equal(fires(sel(`CommandLine: 'echo \\*'`), { CommandLine: 'echo *' }), true);
  assert.equal(fires(sel(`CommandLine: 'echo \\*'`), { CommandLine: 'echo x' }), false);
  // \? is a literal question mark
  assert.equal(fires(sel(`CommandLine: 'what\\?'`), { CommandLine: 'what?' }), true);
  assert.equal(fires(sel(`CommandLine: 'what\\?'`), { CommandLine: 'whatX' }), false);
  // \\* is a backslash followed by a wildcard
  assert.equal(fires(sel(`Path: 'C:\\\\*'`), { Path: 'C:\\anything' }), true);
  assert.equal(fires(sel(`Path: 'C:\\\\*'`), { Path: 'C:anything' }), false);
  // \\\* is a backslash and a literal asterisk
  assert.equal(fires(sel(`Path: 'C:\\\\\\*'`), { Path: 'C:\\*' }), true);
  assert.equal(fires(sel(`Path: 'C:\\\\\\*'`), { Path: 'C:\\x' }), false);
  // a lone backslash before an ordinary character is a backslash; \\\\ is two
  assert.equal(fires(sel(`Path: 'C:\\Temp'`), { Path: 'C:\\Temp' }), true);
  assert.equal(fires(sel(`Path: '\\\\\\\\server'`), { Path: '\\\\server' }), true);
  // the SigmaHQ rule's 'node_modules\\.bin\\\\..\\next' means node_modules\.bin\\..\next
  assert.equal(
    fires(sel(`CommandLine|contains: 'node_modules\\\\.bin\\\\\\\\..\\\\next'`), { CommandLine: 'x node_modules\\.bin\\\\..\\next y' }),
    true,
  );
});

test('contains, startswith, endswith', () => {
  const ev = { CommandLine: 'powershell.exe -NoProfile -EncodedCommand AAA' };
  assert.equal(fires(sel(`CommandLine|contains: '-encodedcommand'`), ev), true);
  assert.equal(fires(sel(`CommandLine|startswith: 'POWERSHELL'`), ev), true);
  assert.equal(fires(sel(`CommandLine|startswith: 'NoProfile'`), ev), false);
  assert.equal(fires(sel(`CommandLine|endswith: ' aaa'`), ev), true);
  assert.equal(fires(sel(`CommandLine|endswith: 'powershell.exe'`), ev), false);
  assert.equal(fires(sel(`CommandLine|contains:\n    - 'nothing'\n    - 'NOPROFILE'`), ev), true, 'list values are ORed');
});

test('all: every value must match', () => {
  const ev = { CommandLine: 'vssadmin delete shadows /all /quiet' };
  assert.equal(fires(sel(`CommandLine|contains|all:\n    - 'delete'\n    - 'shadows'`), ev), true);
  assert.equal(fires(sel(`CommandLine|contains|all:\n    - 'delete'\n    - 'resize'`), ev), false);
});

test('exists: field presence, whatever the value', () => {
  assert.equal(fires(sel('PasswordLastSet|exists: true'), { PasswordLastSet: '' }), true);
  assert.equal(fires(sel('PasswordLastSet|exists: true'), { PasswordLastSet: null }), true);
  assert.equal(fires(sel('PasswordLastSet|exists: true'), {}), false);
  assert.equal(fires(sel('PasswordLastSet|exists: false'), {}), true);
  assert.equal(fires(sel('PasswordLastSet|exists: false'), { PasswordLastSet: 'x' }), false);
  assert.match(loadError(sel(`X|exists: 'maybe'`)), /true or false/);
});

test('cased: case-sensitive matching', () => {
  assert.equal(fires(sel(`CommandLine|cased: 'IEX'`), { CommandLine: 'IEX' }), true);
  assert.equal(fires(sel(`CommandLine|cased: 'IEX'`), { CommandLine: 'iex' }), false);
  assert.equal(fires(sel(`CommandLine|contains|cased: 'IEX'`), { CommandLine: 'x IEX y' }), true);
  assert.equal(fires(sel(`CommandLine|contains|cased: 'IEX'`), { CommandLine: 'x iex y' }), false);
});

test('neq: the field differs from every value', () => {
  assert.equal(fires(sel(`User|neq: 'SYSTEM'`), { User: 'alice' }), true);
  assert.equal(fires(sel(`User|neq: 'SYSTEM'`), { User: 'system' }), false);
  assert.equal(fires(sel(`User|neq:\n    - 'SYSTEM'\n    - 'alice'`), { User: 'alice' }), false);
  assert.equal(fires(sel(`User|neq:\n    - 'SYSTEM'\n    - 'alice'`), { User: 'bob' }), true);
  assert.equal(fires(sel('LogonType|neq: 3'), { LogonType: 10 }), true);
});

test('windash: -, /, en dash, em dash and horizontal bar at flag positions', () => {
  const d = sel(`CommandLine|windash|contains: ' -exec bypass'`);
  for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
    assert.equal(fires(d, { CommandLine: `powershell ${dash}exec bypass` }), true, `dash ${dash}`);
  }
  assert.equal(fires(d, { CommandLine: 'powershell +exec bypass' }), false);
  // only a dash that starts a word after a non-word character varies (\B[-/]\b): in-word dashes stay
  const inWord = sel(`CommandLine|windash|contains: 'no-profile'`);
  assert.equal(fires(inWord, { CommandLine: 'x no-profile' }), true);
  assert.equal(fires(inWord, { CommandLine: 'x no/profile' }), false);
  // two flags: 5 x 5 permutations, any mix matches
  const two = sel(`CommandLine|windash|contains|all:\n    - ' -a '\n    - ' -b '`);
  assert.equal(fires(two, { CommandLine: 'tool /a \u2013bx' }), false, "' -b ' needs the space after b");
  assert.equal(fires(two, { CommandLine: 'tool /a \u2013b ' }), true);
});

test('re with i, m and s flags (case-sensitive by default)', () => {
  assert.equal(fires(sel(`CommandLine|re: 'IEX\\s*\\('`), { CommandLine: 'IEX (New-Object ...)' }), true);
  assert.equal(fires(sel(`CommandLine|re: 'IEX\\s*\\('`), { CommandLine: 'iex (New-Object ...)' }), false);
  assert.equal(fires(sel(`CommandLine|re|i: 'IEX\\s*\\('`), { CommandLine: 'iex (x)' }), true);
  assert.equal(fires(sel(`CommandLine|re: '(?i)IEX\\s*\\('`), { CommandLine: 'iex (x)' }), true, 'leading (?i) becomes a flag');
  assert.equal(fires(sel(`ScriptBlockText|re: '^second$'`), { ScriptBlockText: 'first\nsecond' }), false);
  assert.equal(fires(sel(`ScriptBlockText|re|m: '^second$'`), { ScriptBlockText: 'first\nsecond' }), true);
  assert.equal(fires(sel(`ScriptBlockText|re: 'a.b'`), { ScriptBlockText: 'a\nb' }), false);
  assert.equal(fires(sel(`ScriptBlockText|re|s: 'a.b'`), { ScriptBlockText: 'a\nb' }), true);
  assert.match(loadError(sel(`X|re: 'a(?>b)'`)), /atomic groups/);
  assert.match(loadError(sel(`X|re: 'a(b'`)), /does not compile/);
  assert.match(loadError(sel(`X|contains|re: 'a'`)), /unmodified value/);
});

test('base64 and base64offset (values computed with Python base64, see comments)', () => {
  // base64('cmd.exe') = 'Y21kLmV4ZQ=='
  assert.equal(fires(sel(`Payload|base64: 'cmd.exe'`), { Payload: 'Y21kLmV4ZQ==' }), true);
  // base64offset('http://'): 'aHR0cDovL' | 'h0dHA6Ly' | 'odHRwOi8v' (the three alignments)
  const d = sel(`CommandLine|base64offset|contains: 'http://'`);
  assert.equal(fires(d, { CommandLine: '-enc aHR0cDovL2V2aWwuY29t' }), true); // 'http://evil.com'
  assert.equal(fires(d, { CommandLine: '-enc eGh0dHA6Ly9ldmlsLmNvbQ==' }), true); // 'xhttp://evil.com'
  assert.equal(fires(d, { CommandLine: '-enc eHhodHRwOi8vZXZpbC5jb20=' }), true); // 'xxhttp://evil.com'
  assert.equal(fires(d, { CommandLine: '-enc ZnRwOi8vZXZpbA==' }), false); // 'ftp://evil'
  assert.match(loadError(sel(`X|base64: 'a*'`)), /wildcards/);
});

test('utf16le / wide, utf16be, utf16 (with BOM) then base64', () => {
  // 'cmd' UTF-16LE = 63 00 6d 00 64 00 -> base64 'YwBtAGQA'
  assert.equal(fires(sel(`P|utf16le|base64: 'cmd'`), { P: 'YwBtAGQA' }), true);
  assert.equal(fires(sel(`P|wide|base64: 'cmd'`), { P: 'YwBtAGQA' }), true);
  // UTF-16BE = 00 63 00 6d 00 64 -> 'AGMAbQBk'
  assert.equal(fires(sel(`P|utf16be|base64: 'cmd'`), { P: 'AGMAbQBk' }), true);
  // BOM FF FE + LE -> '//5jAG0AZAA='
  assert.equal(fires(sel(`P|utf16|base64: 'cmd'`), { P: '//5jAG0AZAA=' }), true);
  // wide|base64offset('Invoke-') -> 'SQBuAHYAbwBrAGUALQ' | 'kAbgB2AG8AawBlAC0A' | 'JAG4AdgBvAGsAZQAtA'
  const d = sel(`CommandLine|wide|base64offset|contains: 'Invoke-'`);
  assert.equal(fires(d, { CommandLine: 'powershell -enc SQBuAHYAbwBrAGUALQBFAHgAcAByAGUAcwBzAGkAbwBuAA==' }), true);
  assert.equal(fires(d, { CommandLine: 'x kAbgB2AG8AawBlAC0A x' }), true);
  assert.equal(fires(d, { CommandLine: 'x JAG4AdgBvAGsAZQAtA x' }), true);
  assert.equal(fires(d, { CommandLine: 'x SW52b2tlLQ== x' }), false, 'UTF-8 base64 of Invoke- is not the wide form');
});

test('lt, lte, gt, gte compare numbers (hex strings too)', () => {
  assert.equal(fires(sel('Size|gt: 100'), { Size: '101' }), true);
  assert.equal(fires(sel('Size|gt: 100'), { Size: 100 }), false);
  assert.equal(fires(sel('Size|gte: 100'), { Size: 100 }), true);
  assert.equal(fires(sel('Size|lt: 100'), { Size: 99.5 }), true);
  assert.equal(fires(sel('Size|lte: 100'), { Size: '0x64' }), true, '0x64 = 100');
  assert.equal(fires(sel('Size|lt: 100'), { Size: 'abc' }), false);
  assert.equal(fires(sel('Size|lt: 100'), {}), false);
  assert.match(loadError(sel(`Size|gt: 'ten'`)), /needs a number/);
});

test('cidr: IPv4 and IPv6 networks', () => {
  const v4 = sel(`DestinationIp|cidr:\n    - '10.0.0.0/8'\n    - '192.168.1.0/24'`);
  assert.equal(fires(v4, { DestinationIp: '10.200.3.4' }), true);
  assert.equal(fires(v4, { DestinationIp: '192.168.1.255' }), true);
  assert.equal(fires(v4, { DestinationIp: '192.168.2.1' }), false);
  assert.equal(fires(v4, { DestinationIp: '11.0.0.1' }), false);
  assert.equal(fires(v4, { DestinationIp: '::ffff:10.1.2.3' }), true, 'IPv4-mapped IPv6');
  assert.equal(fires(v4, { DestinationIp: 'not an ip' }), false);
  const v6 = sel(`DestinationIp|cidr: 'fe80::/10'`);
  assert.equal(fires(v6, { DestinationIp: 'fe80::1%eth0' }), true);
  assert.equal(fires(v6, { DestinationIp: 'febf:ffff::1' }), true);
  assert.equal(fires(v6, { DestinationIp: 'fec0::1' }), false);
  assert.equal(fires(sel(`DestinationIp|cidr: '2001:db8::/32'`), { DestinationIp: '2001:0db8:0000:0000:0000:ff00:0042:8329' }), true);
  assert.equal(fires(sel(`DestinationIp|cidr: '::1/128'`), { DestinationIp: '::1' }), true);
  assert.match(loadError(sel(`DestinationIp|cidr: '10.0.0.0/33'`)), /prefix length/);
});

test('expand: placeholders from configuration; unconfigured ones match nothing (with a warning)', () => {
  const d = `selection:\n    EventID: 1\nfilter:\n    User|expand: '%Administrators%'\ncondition: selection and not filter`;
  const opts = { placeholders: { Administrators: ['adm_*', 'root'] } };
  assert.equal(fires(d, { User: 'adm_bob' }, opts), false);
  assert.equal(fires(d, { User: 'ROOT' }, opts), false);
  assert.equal(fires(d, { User: 'alice' }, opts), true);
  assert.equal(fires(d, { User: 'adm_bob' }), true, 'no values configured: the filter matches nothing');
  // \% keeps a literal percent sign
  assert.equal(fires(sel(`P|expand: '50\\%%X%'`), { P: '50%a' }, { placeholders: { X: ['a'] } }), true);
  // without expand, %name% is plain text
  assert.equal(fires(sel(`P: '%Administrators%'`), { P: '%administrators%' }), true);
});

test('fieldref: compares two fields of the same event', () => {
  assert.equal(fires(sel('TargetFilename|fieldref: Image'), { TargetFilename: 'C:\\a.exe', Image: 'c:\\A.EXE' }), true);
  assert.equal(fires(sel('TargetFilename|fieldref: Image'), { TargetFilename: 'C:\\a.exe', Image: 'C:\\b.exe' }), false);
  assert.equal(fires(sel('TargetFilename|fieldref: Image'), { TargetFilename: 'C:\\a.exe' }), false);
  assert.equal(fires(sel('CommandLine|fieldref|contains: Image'), { CommandLine: '"C:\\a.exe" /x', Image: 'C:\\a.exe' }), true);
  assert.equal(fires(sel('CommandLine|fieldref|startswith: Image'), { CommandLine: '"C:\\a.exe" /x', Image: 'C:\\a.exe' }), false);
  assert.equal(fires(sel('CommandLine|fieldref|endswith: Image'), { CommandLine: 'run C:\\a.exe', Image: 'C:\\a.exe' }), true);
  assert.equal(fires(sel('User|fieldref|neq: ParentUser'), { User: 'a', ParentUser: 'b' }), true);
  assert.equal(fires(sel('User|fieldref|neq: ParentUser'), { User: 'a', ParentUser: 'A' }), false);
});

test('time modifiers read UTC parts of a timestamp field', () => {
  // 2024-03-10T23:45:00Z: minute 45, hour 23, day 10, month 3, year 2024, ISO week 10
  const ev = { UtcTime: '2024-03-10 23:45:00.123' };
  assert.equal(fires(sel('UtcTime|hour: 23'), ev), true);
  assert.equal(fires(sel('UtcTime|minute: 45'), ev), true);
  assert.equal(fires(sel('UtcTime|day: 10'), ev), true);
  assert.equal(fires(sel('UtcTime|month: 3'), ev), true);
  assert.equal(fires(sel('UtcTime|year: 2024'), ev), true);
  assert.equal(fires(sel('UtcTime|week: 10'), ev), true);
  assert.equal(fires(sel('UtcTime|hour: 22'), ev), false);
});

test('null and empty values', () => {
  assert.equal(fires(sel('ParentUser: null'), {}), true);
  assert.equal(fires(sel('ParentUser: null'), { ParentUser: null }), true);
  assert.equal(fires(sel('ParentUser: null'), { ParentUser: 'x' }), false);
  assert.equal(fires(sel(`Description: ''`), { Description: '' }), true);
  assert.equal(fires(sel(`Description: ''`), { Description: 'x' }), false);
  assert.equal(fires(sel(`Description: ''`), {}), false);
});

test('keywords: lists of strings search every value; |all ANDs them', () => {
  const kw = `keywords:\n    - 'event::clear'\n    - 'sekurlsa'\ncondition: keywords`;
  assert.equal(fires(kw, { CommandLine: 'mimikatz SEKURLSA::logonpasswords' }), true);
  assert.equal(fires(kw, { Other: 'nothing here' }), false);
  const all = `keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords`;
  assert.equal(fires(all, { Payload: 'Set-OabVirtualDirectory -ExternalUrl http://x' }), true);
  assert.equal(fires(all, { Payload: 'Set-OabVirtualDirectory' }), false);
  assert.equal(fires(all, { A: 'OabVirtualDirectory', B: 'x -ExternalUrl y' }), true, 'values may sit in different fields');
});

test('array fields match when any element does; dotted names read nested JSON', () => {
  assert.equal(fires(sel(`answers|contains: 'evil.com'`), { answers: ['1.2.3.4', 'cdn.evil.com'] }), true);
  assert.equal(fires(sel(`answers|contains|all:\n    - 'a.com'\n    - 'b.com'`), { answers: ['a.com', 'b.com'] }), true);
  assert.equal(fires(sel(`userIdentity.arn|endswith: ':root'`), { userIdentity: { arn: 'arn:aws:iam::1:root' } }), true);
  assert.equal(fires(sel(`id.orig_h: '10.0.0.1'`), { 'id.orig_h': '10.0.0.1' }), true);
});

test('modifier errors name the modifier', () => {
  assert.match(loadError(sel(`X|containz: 'a'`)), /unknown modifier 'containz'/);
  assert.match(loadError(sel(`X|i: 'a'`)), /only follows 're'/);
  assert.match(loadError(sel(`X|fieldref: 'a*'`)), /plain field name/);
});
