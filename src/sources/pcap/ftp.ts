/**
 * FTP control connections: the service name, and the data connections they announce (PORT,
 * EPRT, 227 and 229 replies) so those get the `ftp-data` service and a files.log row for what
 * they carry, as Zeek's FTP analyzer does.
 */
import type { App, Conn } from './flows.js';
import { FileTransfer } from './files.js';
import type { FilesRow } from '../../normalize/zeek-rows.js';

const MAX_LINE = 4096;

export interface Expectations {
  /** Marks `host/port` as the responder side of a coming data connection. */
  expect(host: string, port: number, ts: number): void;
}

export class FtpAnalyzer implements App {
  private buf: [string, string] = ['', ''];
  private confirmed = false;

  constructor(private readonly conn: Conn, private readonly expectations: Expectations) {}

  data(isOrig: boolean, b: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    let text = this.buf[i] + b.toString('latin1');
    let nl: number;
    while ((nl = text.indexOf('\n')) >= 0) {
      this.line(isOrig, text.slice(0, nl).replace(/\r$/, ''), ts);
      text = text.slice(nl + 1);
    }
    this.buf[i] = text.length > MAX_LINE ? '' : text;
  }

  gap(isOrig: boolean): void {
    this.buf[isOrig ? 0 : 1] = '';
  }

  private line(isOrig: boolean, line: string, ts: number): void {
    if (isOrig) {
      let m = /^PORT\s+(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/i.exec(line);
      if (m) this.expectations.expect(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`, Number(m[5]) * 256 + Number(m[6]), ts);
      m = /^EPRT\s+\|(\d)\|([^|]+)\|(\d+)\|/i.exec(line);
      if (m) this.expectations.expect(m[2]!, Number(m[3]), ts);
      if (/^(USER|PASS|SYST|FEAT|PWD|CWD|TYPE|PASV|EPSV|LIST|RETR|STOR|QUIT)\b/i.test(line)) this.confirm();
      return;
    }
    let m = /^227\b.*?(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/.exec(line);
    if (m) this.expectations.expect(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`, Number(m[5]) * 256 + Number(m[6]), ts);
    m = /^229\b.*\(\|\|\|(\d+)\|\)/.exec(line);
    if (m) this.expectations.expect(this.conn.respH, Number(m[1]), ts);
    if (/^[1-5]\d\d[ -]/.test(line)) this.confirm();
  }

  private confirm(): void {
    if (!this.confirmed) {
      this.confirmed = true;
      this.conn.services.add('ftp');
    }
  }

  done(): void {}
}

/** An FTP data connection: everything it carries is one file (files.log source FTP_DATA). */
export class FtpDataAnalyzer implements App {
  private files: [FileTransfer | undefined, FileTransfer | undefined] = [undefined, undefined];
  constructor(private readonly conn: Conn, private readonly newFuid: () => string, private readonly emitFile: (row: FilesRow) => void) {}

  data(isOrig: boolean, b: Buffer, ts: number): void {
    const i = isOrig ? 0 : 1;
    let f = this.files[i];
    if (!f) f = this.files[i] = new FileTransfer(this.newFuid(), this.conn, isOrig, ts, undefined, undefined, 'FTP_DATA');
    f.data(b, ts);
  }

  gap(isOrig: boolean, len: number): void {
    this.files[isOrig ? 0 : 1]?.gap(len);
  }

  done(): void {
    for (const f of this.files) if (f) this.emitFile(f.row());
  }
}
