/**
 * Zeek's connection summary as pure functions of endpoint states and history, so they can be
 * tested with tables: `connState` is the `conn_state` column (base/protocols/conn/main.zeek).
 */

export const enum TcpState {
  INACTIVE = 0,
  SYN_SENT = 1,
  SYN_ACK_SENT = 2,
  PARTIAL = 3,
  ESTABLISHED = 4,
  CLOSED = 5,
  RESET = 6,
}

/** UDP/ICMP endpoints are either silent or have sent something. */
export const enum DgramState {
  INACTIVE = 0,
  ACTIVE = 1,
}

const RSTOS0 = /^\^?S[^HAFGIQ]*R/;

export interface TcpSummary {
  orig: TcpState;
  resp: TcpState;
  origSize: number;
  respSize: number;
  history: string;
}

export function tcpConnState(s: TcpSummary): string {
  const os = s.orig;
  const rs = s.resp;
  const oInactive = os === TcpState.INACTIVE || os === TcpState.PARTIAL;
  const rInactive = rs === TcpState.INACTIVE || rs === TcpState.PARTIAL;
  if (rs === TcpState.RESET) {
    if (os === TcpState.SYN_SENT || os === TcpState.SYN_ACK_SENT || (os === TcpState.RESET && s.origSize === 0 && s.respSize === 0)) return 'REJ';
    if (oInactive) return 'RSTRH';
    return 'RSTR';
  }
  if (os === TcpState.RESET) {
    if (rInactive) return RSTOS0.test(s.history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === TcpState.CLOSED && os === TcpState.CLOSED) return 'SF';
  if (os === TcpState.CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === TcpState.CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === TcpState.SYN_SENT && rs === TcpState.INACTIVE) return 'S0';
  if (os === TcpState.ESTABLISHED && rs === TcpState.ESTABLISHED) return 'S1';
  return 'OTH';
}

export function udpConnState(orig: DgramState, resp: DgramState): string {
  if (orig === DgramState.ACTIVE) return resp === DgramState.ACTIVE ? 'SF' : 'S0';
  return resp === DgramState.ACTIVE ? 'SHR' : 'OTH';
}
