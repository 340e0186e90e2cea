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
  /** When the process was seen ending (event time). */
  ended?: number;
}

/** How far apart the two logs' clocks may put one process start. */
const SAME_START_MS = 2000;
/**
 * An ended process keeps its pid entry this long (late events, the other log's sighting), then
 * the entry goes: the table holds live processes, not every process ever seen.
 */
const ENDED_KEPT_MS = 10 * 60 * 1000;
const SWEEP_EVERY = 20_000;

export class ProcessTable {
  private readonly hosts = new Map<string, Map<number, Entry>>();
  private calls = 0;
  private latest = 0;

  /** Drops entries of processes that ended long enough ago (see ENDED_KEPT_MS). */
  private sweep(): void {
    const before = this.latest - ENDED_KEPT_MS;
    for (const t of this.hosts.values()) for (const [pid, e] of t) if (e.ended !== undefined && e.ended < before) t.delete(pid);
  }

  private tick(time: number | undefined): void {
    if (time !== undefined && time > this.latest) this.latest = time;
    if (++this.calls % SWEEP_EVERY === 0) this.sweep();
  }

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
    this.tick(start);
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
  ended(host: string | undefined, pid: number, image?: string, time?: number): string {
    this.tick(time);
    const key = this.resolve(host, pid, image);
    const e = this.table(hostKey(host)).get(pid);
    if (e && time !== undefined) e.ended = time;
    return key;
  }

  /** A process known by GUID ended (Sysmon 5): its pid entry, if it is still that process's, ages out. */
  endedGuid(host: string | undefined, pid: number | undefined, guid: string, time: number): void {
    if (pid === undefined) return;
    this.tick(time);
    const e = this.table(hostKey(host)).get(pid);
    if (e && e.key === this.guidKey(host, guid)) e.ended = time;
  }
}

/** Security logs write full paths, sandbox reports sometimes only names: compare what both have. */
function sameImage(a: string, b: string): boolean {
  if (a === b) return true;
  const na = a.slice(Math.max(a.lastIndexOf('\\'), a.lastIndexOf('/')) + 1);
  const nb = b.slice(Math.max(b.lastIndexOf('\\'), b.lastIndexOf('/')) + 1);
  return na === nb;
}
