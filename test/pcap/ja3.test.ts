import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { shared, needShared } from '../helpers/shared.js';
import { analyzeTraces } from './compare.js';

function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const TRACES = ['tls-conn-with-extensions.pcap', 'ecdhe.pcap', 'dhe.pcap', 'ecdsa-cert.pcap', 'google-duplicate.pcap', 'telesec.pcap', 'ocsp-stapling.pcap', 'certificate-with-sct.pcap', 'missing-intermediate.pcap'];

// JA3 and JA3S against Wireshark's own (tshark -e tls.handshake.ja3 / ja3s), per client port.
test('JA3 and JA3S equal tshark\'s', { skip: needShared('zeek', 'traces', 'tls') || (!tsharkAvailable() && 'tshark not installed (apt-get install -y tshark)') }, async () => {
  let compared = 0;
  for (const t of TRACES) {
    const path = shared('zeek', 'traces', 'tls', t);
    const out = execFileSync('tshark', ['-r', path, '-Y', 'tls.handshake.type==1 || tls.handshake.type==2', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tls.handshake.ja3', '-e', 'tls.handshake.ja3s'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const want = new Map<number, { ja3?: string; ja3s?: string }>();
    for (const line of out.split('\n').filter(Boolean)) {
      const [sp, dp, ja3, ja3s] = line.split('\t');
      if (ja3) want.set(Number(sp), { ...want.get(Number(sp)), ja3 });
      if (ja3s) want.set(Number(dp), { ...want.get(Number(dp)), ja3s });
    }
    const { rows } = await analyzeTraces(shared('zeek', 'traces', 'tls'), [t], false);
    for (const r of rows.ssl ?? []) {
      const w = want.get(r['id.orig_p'] as number);
      if (!w) continue;
      if (w.ja3) {
        assert.equal(r.ja3, w.ja3, `${t} ja3 for port ${r['id.orig_p']}`);
        compared++;
      }
      if (w.ja3s) {
        assert.equal(r.ja3s, w.ja3s, `${t} ja3s for port ${r['id.orig_p']}`);
        compared++;
      }
    }
  }
  assert.ok(compared >= 14, `only ${compared} fingerprints compared`);
});
