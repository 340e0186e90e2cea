/**
 * Which process a pid means, per host.
 *
 * Sources without process GUIDs (Security 4688/4689, sandbox reports, Procmon) name processes by
 * pid, and pids are reused: the process a pid names is the one that most recently started with
 * it on that host. A pid referenced before any start was seen (a
 * process older than the log) gets one placeholder identity per host, pid and image, which later
 * references share, so that Security 4688 trees are as deep as the data.
 *
 * When a host logs both Sysmon 1 and Security 4688, one process start appears twice, once with a
 * GUID and once without. Same host, same pid, same image and starts within two seconds of each
 * other are taken as one process, whose identity is the GUID one: a sighting without GUID that
 * came first is reported as replaced, so that the graph can fold it in.
 */
import { hostKey } from './keys.js';

interface Entry {
  key: string;
  image?: string;
  start?: number;
  hasGuid: boolean;
}

/** How far apart the two logs' clocks may put one process start. */
const SAME_START_MS = 2000;

export class ProcessTable {
  private readonly hosts = new Map<string, Map<number, Entry>>();

  private table(host: string): Map<number, Entry> {
    let t = this.hosts.get(host);
    if (!t) {
      t = new Map();
      this.hosts.set(host, t);
    }
    return t;
  }

  guidKey(host: string | undefined, guid: string): string {
    return `${hostKey(host)}|${guid.toLowerCase()}`;
  }

  /**
   * A process started. With a GUID its key is host + GUID; without, host + pid + start. When this
   * is the same start as the pid's current owner, seen by the other log, the GUID identity wins:
   * `replaced` then names the key of an earlier sighting without GUID.
   */
  started(host: string | undefined, pid: number, start: number, image?: string, guid?: string): { key: string; replaced?: string } {
    const h = hostKey(host);
    const t = this.table(h);
    const img = image?.toLowerCase();
    const prev = t.get(pid);
    if (prev && prev.hasGuid !== (guid !== undefined) && prev.start !== undefined && Math.abs(prev.start - start) <= SAME_START_MS && (!img || !prev.image || sameImage(prev.image, img))) {
      if (!guid) return { key: prev.key };
      const key = this.guidKey(host, guid);
      const replaced = prev.key;
      t.set(pid, { key, image: img ?? prev.image, start, hasGuid: true });
      return { key, replaced };
    }
    const key = guid ? this.guidKey(host, guid) : `${h}|${pid}|${start}`;
    t.set(pid, { key, image: img, start, hasGuid: guid !== undefined });
    return { key };
  }

  /**
   * A parent named by GUID and pid (Sysmon 1). When the pid is held by a placeholder for the same
   * image (the parent, seen by the Security log as a pid only), the GUID identity replaces it.
   */
  parentSeen(host: string | undefined, pid: number, guid: string, image?: string): { key: string; replaced?: string } {
    const h = hostKey(host);
    const t = this.table(h);
    const img = image?.toLowerCase();
    const key = this.guidKey(host, guid);
    const cur = t.get(pid);
    if (!cur) {
      t.set(pid, { key, image: img, hasGuid: true });
      return { key };
    }
    if (!cur.hasGuid && cur.start === undefined && (!img || !cur.image || sameImage(cur.image, img))) {
      t.set(pid, { key, image: img ?? cur.image, hasGuid: true });
      return { key, replaced: cur.key };
    }
    return { key };
  }

  /** The key of the process a pid refers to now (a placeholder when none started in view). */
  resolve(host: string | undefined, pid: number, image?: string): string {
    const h = hostKey(host);
    const t = this.table(h);
    const img = image?.toLowerCase();
    const cur = t.get(pid);
    // An image that disagrees with the pid's owner means we missed a termination and a start.
    if (cur && (!img || !cur.image || sameImage(cur.image, img))) {
      if (!cur.image && img) cur.image = img;
      return cur.key;
    }
    const key = `${h}|${pid}|?|${img ?? ''}`;
    t.set(pid, { key, image: img, hasGuid: false });
    return key;
  }

  /**
   * The process ended. Its entry stays: logs interleave channels in shipping order, so the end
   * may arrive before the other log's sighting of the start, and late events still name it. Only
   * a new start with the pid replaces it.
   */
  ended(host: string | undefined, pid: number, image?: string): string {
    return this.resolve(host, pid, image);
  }
}

/** Security logs write full paths, sandbox reports sometimes only names: compare what both have. */
function sameImage(a: string, b: string): boolean {
  if (a === b) return true;
  const na = a.slice(Math.max(a.lastIndexOf('\\'), a.lastIndexOf('/')) + 1);
  const nb = b.slice(Math.max(b.lastIndexOf('\\'), b.lastIndexOf('/')) + 1);
  return na === nb;
}
