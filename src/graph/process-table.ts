/**
 * Which process a pid means, for sources without process GUIDs (Security 4688/4689, sandbox
 * reports, Procmon). Per host, the process a pid names is the one that most recently started
 * with it; a termination frees the pid for reuse. A pid referenced before any start was seen
 * (a process older than the log) gets one placeholder identity per host, pid and image, which
 * later references share, so that Security 4688 trees are as deep as the data.
 */
import { hostKey } from './keys.js';

interface Entry {
  key: string;
  image?: string;
}

export class ProcessTable {
  private readonly hosts = new Map<string, Map<number, Entry>>();

  private table(host: string | undefined): Map<number, Entry> {
    const h = hostKey(host);
    let t = this.hosts.get(h);
    if (!t) {
      t = new Map();
      this.hosts.set(h, t);
    }
    return t;
  }

  /** A process started: it now owns the pid on its host. Returns its key. */
  started(host: string | undefined, pid: number, start: number, image?: string): string {
    const key = `${hostKey(host)}|${pid}|${start}`;
    this.table(host).set(pid, { key, image: image?.toLowerCase() });
    return key;
  }

  /** The key of the process a pid refers to now (a placeholder when none started in view). */
  resolve(host: string | undefined, pid: number, image?: string): string {
    const t = this.table(host);
    const img = image?.toLowerCase();
    const cur = t.get(pid);
    // An image that disagrees with the pid's owner means we missed a termination and a start.
    if (cur && (!img || !cur.image || sameImage(cur.image, img))) {
      if (!cur.image && img) cur.image = img;
      return cur.key;
    }
    const key = `${hostKey(host)}|${pid}|?|${img ?? ''}`;
    t.set(pid, { key, image: img });
    return key;
  }

  /** The process ended: its pid may be reused from now on. */
  ended(host: string | undefined, pid: number, image?: string): string {
    const key = this.resolve(host, pid, image);
    this.table(host).delete(pid);
    return key;
  }
}

/** Security logs write full paths, sandbox reports sometimes only names: compare what both have. */
function sameImage(a: string, b: string): boolean {
  if (a === b) return true;
  const na = a.slice(Math.max(a.lastIndexOf('\\'), a.lastIndexOf('/')) + 1);
  const nb = b.slice(Math.max(b.lastIndexOf('\\'), b.lastIndexOf('/')) + 1);
  return na === nb;
}
