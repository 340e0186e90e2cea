/**
 * Three Mordor recordings, read from their zip files, and facts about them that were found by
 * reading the raw JSON by hand: `unzip -p FILE | python3` over each line, keeping Sysmon events 1
 * (ParentImage -> Image), 3 (Image -> DestinationIp:DestinationPort) and 22 (Image ? QueryName,
 * QueryResults), and Security 4688 (ParentProcessName -> NewProcessName), then `sort | uniq -c`.
 * Each assertion below quotes the line of that listing it checks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { CaseStore, StoredEdge } from '../../src/store/types.js';
import type { GraphNode } from '../../src/graph/types.js';
import { needShared, shared } from '../helpers/shared.js';

const DIR = ['mordor', 'datasets', 'atomic', 'windows'];

class View {
  nodes: GraphNode[];
  edges: StoredEdge[];
  constructor(c: CaseStore) {
    this.nodes = [...c.nodes()];
    this.edges = [...c.edges()];
  }
  procs(host: string, exe: string): GraphNode[] {
    return this.nodes.filter((n) => n.type === 'Process' && String(n.props.host).toLowerCase() === host.toLowerCase() && String(n.props.executable ?? '').toLowerCase() === exe.toLowerCase());
  }
  node(type: string, label: string): GraphNode | undefined {
    return this.nodes.find((n) => n.type === type && n.label === label);
  }
  has(type: string, from: GraphNode[] | GraphNode | undefined, to: GraphNode[] | GraphNode | undefined): StoredEdge[] {
    const f = new Set([from].flat().filter(Boolean).map((n) => n!.id));
    const t = new Set([to].flat().filter(Boolean).map((n) => n!.id));
    return this.edges.filter((e) => e.type === type && f.has(e.src) && t.has(e.dst));
  }
}

async function load(...file: string[]): Promise<{ view: View; store: CaseStore }> {
  const db = openSqliteStore(':memory:');
  const c = db.openCase('t');
  await analyzePaths([shared(...DIR, ...file)], { store: c });
  return { view: new View(c), store: c };
}

test('cmd_bitsadmin_download_psh_script: cmd launches bitsadmin; svchost resolves and reaches GitHub', { skip: needShared(...DIR) }, async () => {
  const { view: v, store } = await load('defense_evasion', 'host', 'cmd_bitsadmin_download_psh_script.zip');
  const H = 'WORKSTATION5';
  // "S1 WORKSTATION5 C:\Windows\System32\cmd.exe -> C:\Windows\System32\bitsadmin.exe" and the same pair as 4688
  assert.ok(v.has('launched', v.procs(H, 'C:\\Windows\\System32\\cmd.exe'), v.procs(H, 'C:\\Windows\\System32\\bitsadmin.exe')).length >= 1);
  // Sysmon 1 and 4688 describe one process start: one bitsadmin node, not two.
  assert.equal(v.procs(H, 'C:\\Windows\\System32\\bitsadmin.exe').length, 1);
  // "S22 ... svchost.exe ? raw.githubusercontent.com type:  5 github.map.fastly.net;::ffff:151.101.208.133;"
  const svchost = v.procs(H, 'C:\\windows\\System32\\svchost.exe');
  const gh = v.node('Domain', 'raw.githubusercontent.com');
  assert.ok(gh);
  assert.equal(v.has('dns_query_for', svchost, gh).length, 1);
  assert.equal(v.has('resolves_to', gh, v.node('Domain', 'github.map.fastly.net')).length, 1);
  assert.equal(v.has('resolves_to', gh, v.node('IPAddress', '151.101.208.133')).length, 1);
  // "S3 ... svchost.exe -> 151.101.208.133 443"
  const conn = v.has('connected_to', svchost, v.node('IPAddress', '151.101.208.133'));
  assert.equal(conn.length, 1);
  assert.equal(store.occurrences(conn[0].id)[0].details?.port, 443);
  // "S22 ... svchost.exe ? localhost ::1;::ffff:127.0.0.1;" twice: one edge, two occurrences
  const lh = v.has('dns_query_for', svchost, v.node('Domain', 'localhost'));
  assert.equal(lh.length, 1);
  assert.equal(lh[0].count, 2);
});

test('empire_launcher_sct_regsvr32: regsvr32 and PowerShell spawn each other and call 10.10.10.5', { skip: needShared(...DIR) }, async () => {
  const { view: v, store } = await load('defense_evasion', 'host', 'empire_launcher_sct_regsvr32.zip');
  const H = 'WORKSTATION5.mordor.local';
  const ps = v.procs(H, 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
  const rs = v.procs(H, 'C:\\Windows\\System32\\regsvr32.exe');
  // "S1 ... powershell.exe -> C:\Windows\System32\regsvr32.exe" and "S1 ... regsvr32.exe -> ...powershell.exe"
  assert.ok(v.has('launched', ps, rs).length >= 1);
  assert.ok(v.has('launched', rs, ps).length >= 1);
  // "S1 ... svchost.exe -> C:\Windows\System32\wbem\WmiPrvSE.exe"
  assert.ok(v.has('launched', v.procs(H, 'C:\\Windows\\System32\\svchost.exe'), v.procs(H, 'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe')).length >= 1);
  // "9 S3 ... powershell.exe -> 10.10.10.5 80" and "1 S3 ... regsvr32.exe -> 10.10.10.5 8444".
  // The Security log's 5156 records the same connections: listing source ports by hand, Sysmon 3
  // has 50248 50251 50254 50255 50256 50258 50259 50260 50261 and 5156 has those plus 50263,
  // so 10 distinct connections, each counted once.
  const c2 = v.node('IPAddress', '10.10.10.5');
  const psConn = v.has('connected_to', ps, c2);
  assert.equal(psConn.reduce((n, e) => n + e.count, 0), 10);
  assert.ok(store.occurrences(psConn[0].id).every((o) => o.details?.port === 80));
  const rsConn = v.has('connected_to', rs, c2);
  assert.equal(rsConn.length, 1);
  assert.equal(store.occurrences(rsConn[0].id)[0].details?.port, 8444);
  // "S22 ... backgroundTaskHost.exe ? arc.msn.com type:  5 arc.msn.com.nsatc.net;::ffff:52.167.250.154;"
  const arc = v.node('Domain', 'arc.msn.com');
  assert.equal(v.has('dns_query_for', v.procs(H, 'C:\\Windows\\System32\\backgroundTaskHost.exe'), arc).length, 1);
  assert.equal(v.has('resolves_to', arc, v.node('IPAddress', '52.167.250.154')).length, 1);
  // IPv6 loopback written long-hand by Sysmon ("0:0:0:0:0:0:0:1") is the canonical "::1"
  assert.ok(v.node('IPAddress', '::1'));
  assert.equal(v.node('IPAddress', '0:0:0:0:0:0:0:1'), undefined);
});

test('cmd_sharpview_pcre_net: cmd launches SharpView, which looks up the DC and talks LDAP to it', { skip: needShared(...DIR) }, async () => {
  const { view: v, store } = await load('execution', 'host', 'cmd_sharpview_pcre_net.zip');
  const H = 'WORKSTATION5.theshire.local';
  const sv = v.procs(H, 'C:\\ProgramData\\SharpView.exe');
  // "S1 ... cmd.exe -> C:\ProgramData\SharpView.exe" (also as 4688: still one process)
  assert.equal(sv.length, 1);
  assert.equal(v.has('launched', v.procs(H, 'C:\\Windows\\System32\\cmd.exe'), sv).length, 1);
  // "S22 ... SharpView.exe ? MORDORDC.THESHIRE.LOCAL ::ffff:172.18.38.5;" (domains lower-cased)
  const dc = v.node('Domain', 'mordordc.theshire.local');
  assert.equal(v.has('dns_query_for', sv, dc).length, 1);
  assert.equal(v.has('resolves_to', dc, v.node('IPAddress', '172.18.38.5')).length, 1);
  // "S22 ... _ldap._tcp.MORDORDC.THESHIRE.LOCAL. -": trailing dot dropped
  assert.ok(v.node('Domain', '_ldap._tcp.mordordc.theshire.local'));
  // "S3 ... SharpView.exe -> 172.18.38.5 389"
  const e = v.has('connected_to', sv, v.node('IPAddress', '172.18.38.5'));
  assert.equal(e.length, 1);
  assert.equal(store.occurrences(e[0].id)[0].details?.port, 389);
});
