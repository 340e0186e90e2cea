import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TcpState as S, tcpConnState, udpConnState, DgramState } from '../../src/sources/pcap/conn-state.js';

// The table follows base/protocols/conn/main.zeek's conn_state(): endpoint states in, label out.
test('conn_state from endpoint states (Zeek table)', () => {
  const cases: Array<[S, S, number, number, string, string]> = [
    [S.SYN_SENT, S.INACTIVE, 0, 0, 'S', 'S0'],
    [S.SYN_SENT, S.RESET, 0, 0, 'Sr', 'REJ'],
    [S.RESET, S.RESET, 0, 0, 'Rr', 'REJ'],
    [S.ESTABLISHED, S.ESTABLISHED, 10, 10, 'ShAD', 'S1'],
    [S.CLOSED, S.CLOSED, 10, 10, 'ShADFf', 'SF'],
    [S.ESTABLISHED, S.RESET, 10, 10, 'ShADr', 'RSTR'],
    [S.PARTIAL, S.RESET, 10, 10, 'Dr', 'RSTRH'],
    [S.RESET, S.ESTABLISHED, 10, 10, 'ShADR', 'RSTO'],
    [S.RESET, S.INACTIVE, 0, 0, 'SR', 'RSTOS0'],
    [S.RESET, S.INACTIVE, 0, 0, 'DR', 'OTH'],
    [S.CLOSED, S.ESTABLISHED, 10, 10, 'ShADF', 'S2'],
    [S.CLOSED, S.INACTIVE, 10, 0, 'DF', 'SH'],
    [S.ESTABLISHED, S.CLOSED, 10, 10, 'ShADf', 'S3'],
    [S.INACTIVE, S.CLOSED, 0, 10, 'df', 'SHR'],
    [S.PARTIAL, S.PARTIAL, 10, 10, 'Dd', 'OTH'],
  ];
  for (const [o, r, os, rs, h, want] of cases) assert.equal(tcpConnState({ orig: o, resp: r, origSize: os, respSize: rs, history: h }), want, `${o}/${r}/${h}`);
  assert.equal(udpConnState(DgramState.ACTIVE, DgramState.ACTIVE), 'SF');
  assert.equal(udpConnState(DgramState.ACTIVE, DgramState.INACTIVE), 'S0');
  assert.equal(udpConnState(DgramState.INACTIVE, DgramState.ACTIVE), 'SHR');
  assert.equal(udpConnState(DgramState.INACTIVE, DgramState.INACTIVE), 'OTH');
});
