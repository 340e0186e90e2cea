/**
 * Line protocols that can turn into TLS on the same connection (SMTP, POP3, IMAP, XMPP, IRC): the
 * service is named from the dialogue, and after an accepted STARTTLS the rest of the stream goes
 * to the TLS analyzer, so the handshake and certificates are logged as Zeek does.
 */
import type { App, Conn } from './flows.js';

export type LineProtocol = 'smtp' | 'pop3' | 'imap' | 'xmpp' | 'irc';

const MAX_TEXT = 16 * 1024;

export class StartTlsAnalyzer implements App {
  private text: [string, string] = ['', ''];
  private requested = false;
  private tls?: App;
  private pending: Array<{ isOrig: boolean; buf: Buffer; ts: number }> = [];

  constructor(private readonly conn: Conn, private readonly proto: LineProtocol, private readonly makeTls: (ts: number) => App) {
    conn.services.add(proto);
  }

  data(isOrig: boolean, buf: Buffer, ts: number): void {
    if (this.tls) {
      this.tls.data(isOrig, buf, ts);
      return;
    }
    const i = isOrig ? 0 : 1;
    if (this.requested && isOrig && buf[0] === 0x16) {
      // Client hello before we saw the server's go-ahead (reordering): keep it for the TLS analyzer.
      this.pending.push({ isOrig, buf: Buffer.from(buf), ts });
      return;
    }
    const t = this.text[i] + buf.toString('latin1');
    this.text[i] = t.length > MAX_TEXT ? t.slice(-MAX_TEXT) : t;
    if (isOrig) {
      if (this.requestSeen(t)) this.requested = true;
      return;
    }
    if (this.requested && this.acceptSeen(t)) {
      this.tls = this.makeTls(ts);
      for (const p of this.pending) this.tls.data(p.isOrig, p.buf, p.ts);
      this.pending = [];
    }
  }

  private requestSeen(t: string): boolean {
    switch (this.proto) {
      case 'smtp':
      case 'irc':
        return /(^|\n)STARTTLS\s*\r?\n/i.test(t);
      case 'pop3':
        return /(^|\n)STLS\s*\r?\n/i.test(t);
      case 'imap':
        return /(^|\n)\S+ STARTTLS\s*\r?\n/i.test(t);
      case 'xmpp':
        return /<starttls\b/.test(t);
    }
  }

  private acceptSeen(t: string): boolean {
    // Only what the server said after the request counts; the last complete line decides.
    switch (this.proto) {
      case 'smtp':
        return /(^|\n)220[ -][^\n]*\n\s*$/.test(t);
      case 'pop3':
        return /(^|\n)\+OK[^\n]*\n\s*$/.test(t);
      case 'imap':
        return /(^|\n)\S+ OK[^\n]*\n\s*$/i.test(t);
      case 'irc':
        return /(^|\n):\S+ 670 /.test(t);
      case 'xmpp':
        return /<proceed\b/.test(t);
    }
  }

  gap(isOrig: boolean, len: number): void {
    const a = this.tls as { gap?: (o: boolean, l: number) => void } | undefined;
    a?.gap?.(isOrig, len);
  }

  done(ts: number): void {
    this.tls?.done(ts);
  }
}

/** Names the line protocol from the first bytes of each side, or undefined. */
export function lineProtocol(o: Buffer | undefined, r: Buffer | undefined, respPort: number): LineProtocol | undefined {
  const os = o ? o.toString('latin1', 0, Math.min(o.length, 64)) : '';
  const rs = r ? r.toString('latin1', 0, Math.min(r.length, 64)) : '';
  if (/^<\?xml|^<stream:stream/.test(os)) return 'xmpp';
  if (/^220[ -]/.test(rs) && /^(EHLO|HELO)\b/i.test(os)) return 'smtp';
  if (/^220[ -]/.test(rs) && (respPort === 25 || respPort === 587) && o) return 'smtp';
  if (/^\+OK/.test(rs) && o) return 'pop3';
  if (/^\* (OK|PREAUTH)/.test(rs) && o) return 'imap';
  if (/^(NICK|USER|CAP LS|PASS) /i.test(os) || (/^:\S+ (NOTICE|\d{3}) /.test(rs) && o)) return 'irc';
  return undefined;
}
