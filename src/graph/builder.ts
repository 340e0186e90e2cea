/**
 * Events in, entities and relations out.
 *
 * Edges and their occurrences are handed over at every `drain()`. Nodes stay in memory across
 * drains, merging everything said about them (first and last seen, properties), and are handed
 * over at a final drain or when more than `MAX_NODES` are held: a node seen in every window is
 * then written once, not once per window. Memory is bounded by the number of distinct entities
 * (capped), not by the length of the input; the store merges each drained batch into what it
 * already holds.
 */
import type { Event, ProcessFields, UserFields } from '../normalize/event.js';
import { splitPath } from '../normalize/values.js';
import {
  canonicalIp,
  canonicalUri,
  domainKey,
  edgeId,
  fileKey,
  hostKey,
  nodeId,
  registryKeyPath,
  userKey,
} from './keys.js';
import { ProcessTable } from './process-table.js';
import type { EdgeOccurrence, EdgeType, GraphEdge, GraphNode, NodeType } from './types.js';

export interface GraphDelta {
  nodes: GraphNode[];
  edges: GraphEdge[];
  occurrences: EdgeOccurrence[];
}

const MAX_LABEL = 512;
/**
 * Nodes held between drains. 10,000 is reached within the first ~50k events of a busy host, so
 * memory stops growing early instead of climbing with the input (50,000 held nodes with their
 * command lines took ~50 MB more at 1M events than at 100k); nodes seen in every window are
 * written once per 10,000 new ones, which the store merges cheaply.
 */
const MAX_NODES = 10_000;
const MAX_TEXT = 2048;

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

export class GraphBuilder {
  private nodes = new Map<string, GraphNode>();
  private edges = new Map<string, GraphEdge>();
  private occurrences: EdgeOccurrence[] = [];
  readonly pids = new ProcessTable();
  private eventId = '';
  private seq = 0;
  private time = 0;

  /** Nodes found to be another node's second sighting (see ProcessTable.started), folded in at drain. */
  private renames = new Map<string, string>();

  /** The edges and occurrences added since the last drain; the nodes too when `nodes` is set or too many are held. */
  drain(opts: { nodes?: boolean } = {}): GraphDelta {
    if (this.renames.size) this.foldRenames();
    const withNodes = opts.nodes || this.nodes.size > MAX_NODES;
    const out = { nodes: withNodes ? [...this.nodes.values()] : [], edges: [...this.edges.values()], occurrences: this.occurrences };
    // Only process nodes without a GUID can be renamed later (see foldRenames).
    for (const e of out.edges) {
      if (this.guidless.has(e.src)) this.drainedEndpoints.add(e.src);
      if (this.guidless.has(e.dst)) this.drainedEndpoints.add(e.dst);
    }
    if (this.drainedEndpoints.size > 200_000) this.drainedEndpoints.clear();
    if (this.guidless.size > 200_000) this.guidless.clear();
    if (withNodes) this.nodes = new Map();
    this.edges = new Map();
    this.occurrences = [];
    return out;
  }

  /** Renamable nodes (processes known by pid and start) that edges already written point at (see foldRenames). */
  private drainedEndpoints = new Set<string>();
  /** Process nodes keyed without a GUID: the only ones a later sighting can rename. */
  private guidless = new Set<string>();

  /**
   * Merges each renamed node into its target and re-points this window's edges. A renamed node
   * that edges written in an earlier window point at is kept, marked `same_as` its target, so
   * that no stored edge is left pointing at nothing (the sightings are seconds apart, so this
   * happens only at a window's edge).
   */
  private foldRenames(): void {
    const to = (id: string) => this.renames.get(id) ?? id;
    for (const [from, target] of this.renames) {
      const a = this.nodes.get(from);
      const b = this.nodes.get(target);
      if (!a) continue;
      if (!b) {
        this.nodes.set(target, { ...a, id: target, props: { ...a.props } });
      } else {
        for (const k in a.props) if (b.props[k] === undefined) b.props[k] = a.props[k];
        if (!b.label) b.label = a.label;
        if (a.text && (!b.text || b.text.length < a.text.length)) b.text = a.text;
        b.firstSeen = Math.min(a.firstSeen ?? Infinity, b.firstSeen ?? Infinity);
        b.lastSeen = Math.max(a.lastSeen ?? -Infinity, b.lastSeen ?? -Infinity);
      }
      if (this.drainedEndpoints.has(from)) a.props.same_as = target;
      else this.nodes.delete(from);
    }
    const edgeRenames = new Map<string, string>();
    const edges = new Map<string, GraphEdge>();
    for (const e of this.edges.values()) {
      const src = to(e.src);
      const dst = to(e.dst);
      if (src === e.src && dst === e.dst) {
        edges.set(e.id, e);
        continue;
      }
      const id = edgeId(e.type, src, dst);
      edgeRenames.set(e.id, id);
      if (!edges.has(id)) edges.set(id, { id, type: e.type, src, dst });
    }
    this.edges = edges;
    if (edgeRenames.size) for (const o of this.occurrences) o.edgeId = edgeRenames.get(o.edgeId) ?? o.edgeId;
    this.renames = new Map();
  }

  /** Occurrences waiting for the next drain. */
  get pending(): number {
    return this.occurrences.length;
  }

  /** Nodes held in memory (written at the final drain). */
  get heldNodes(): number {
    return this.nodes.size;
  }

  // ------------------------------------------------------------------------------------------
  // nodes

  /** `id` is nodeId(type, key), for callers that have it already. */
  private upsert(type: NodeType, key: string, label: string, props: Record<string, unknown>, text?: string, id = nodeId(type, key)): string {
    const cur = this.nodes.get(id);
    if (!cur) {
      const t = this.time;
      this.nodes.set(id, { id, type, key, label: clip(label, MAX_LABEL), props, text: text && clip(text, MAX_TEXT), firstSeen: t, lastSeen: t });
      return id;
    }
    for (const k in props) if (cur.props[k] === undefined && props[k] !== undefined) cur.props[k] = props[k];
    if (!cur.label && label) cur.label = clip(label, MAX_LABEL);
    if (text && (!cur.text || cur.text.length < text.length)) cur.text = clip(text, MAX_TEXT);
    this.seen(cur);
    return id;
  }

  /** A known node seen again, with nothing new: only its seen times move. */
  private seen(n: GraphNode): void {
    const t = this.time;
    if (t < (n.firstSeen ?? t)) n.firstSeen = t;
    if (t > (n.lastSeen ?? t)) n.lastSeen = t;
  }

  /**
   * A node whose properties follow from its key (a host, an address, a domain, a URI, a registry
   * key): once it exists, a sighting only moves its seen times, so its properties are not even built.
   */
  private upsertKeyed(type: NodeType, key: string, label: string, props: () => Record<string, unknown>, text?: string): string {
    const id = nodeId(type, key);
    const cur = this.nodes.get(id);
    if (cur && (!text || (cur.text?.length ?? 0) >= text.length)) {
      this.seen(cur);
      return id;
    }
    return this.upsert(type, key, label, props(), text, id);
  }

  hostNode(name: string): string {
    return this.upsertKeyed('Host', hostKey(name), name, () => ({ name }));
  }

  userNode(u: UserFields | undefined): string | undefined {
    if (!u?.name) return undefined;
    const label = u.domain ? `${u.domain}\\${u.name}` : u.name;
    return this.upsert('User', userKey(u.domain, u.name), label, { name: u.name, domain: u.domain, sid: u.id }, label);
  }

  fileNode(host: string | undefined, path: string, extra: Record<string, unknown> = {}): string {
    const key = fileKey(host, path);
    const id = nodeId('File', key);
    const cur = this.nodes.get(id);
    if (cur && path.length <= (cur.text?.length ?? 0) && knowsExtra(cur, extra)) {
      this.seen(cur);
      return id;
    }
    const { name, extension } = splitPath(path);
    return this.upsert('File', key, name || path, { path, name, extension, host, ...extra }, path, id);
  }

  ipNode(ip: string | undefined): string | undefined {
    const c = canonicalIp(ip);
    if (!c) return undefined;
    return this.upsertKeyed('IPAddress', c, c, () => ({ ip: c, version: c.includes(':') ? 6 : 4 }), c);
  }

  domainNode(name: string | undefined): string | undefined {
    if (!name) return undefined;
    // A "domain" that is an address (a Host header with an IP) is an IP node.
    if (canonicalIp(name)) return this.ipNode(name);
    const d = domainKey(name);
    if (!d) return undefined;
    return this.upsertKeyed('Domain', d, d, () => ({ domain: d }), d);
  }

  uriNode(uri: string, hostHeader?: string): { id: string; host?: string } | undefined {
    const c = canonicalUri(uri, hostHeader?.replace(/:\d+$/, ''));
    if (!c) return undefined;
    return { id: this.upsertKeyed('URI', c.key, c.key, () => ({ uri: c.key }), c.key), host: c.host };
  }

  registryNode(host: string | undefined, keyPath: string): string {
    const last = keyPath.lastIndexOf('\\');
    const name = keyPath.slice(last + 1) || keyPath;
    return this.upsertKeyed('RegistryKey', registryKeyPath(host, keyPath), name, () => ({ path: keyPath, hive: keyPath.split('\\', 1)[0], host }), keyPath);
  }

  /**
   * The node of a process, from what the event says of it. Processes with a GUID are keyed by it;
   * the others through the pid table.
   */
  processNode(host: string | undefined, p: Omit<ProcessFields, 'parent'>, opts: { starting?: boolean; ending?: boolean } = {}): string | undefined {
    let key: string | undefined;
    if (opts.starting && p.pid !== undefined) {
      const s = this.pids.started(host, p.pid, p.start ?? this.time, p.executable, p.entity_id);
      key = s.key;
      if (s.replaced) this.renames.set(nodeId('Process', s.replaced), nodeId('Process', s.key));
    } else if (p.entity_id) {
      key = this.pids.guidKey(host, p.entity_id);
      if (opts.ending) this.pids.endedGuid(host, p.pid, p.entity_id, p.end ?? this.time);
    } else if (p.pid !== undefined) {
      if (opts.ending) key = this.pids.ended(host, p.pid, p.executable, p.end ?? this.time);
      else key = this.pids.resolve(host, p.pid, p.executable);
    }
    if (!key) return undefined;
    const exe = p.executable;
    const id = nodeId('Process', key);
    if (!p.entity_id) this.guidless.add(id);
    if (!opts.starting && !opts.ending) {
      // Most events name a process the graph already knows, with nothing new to say of it.
      const cur = this.nodes.get(id);
      if (cur && knowsAll(cur, p)) {
        this.seen(cur);
        return id;
      }
    }
    const props: Record<string, unknown> = {
      host,
      pid: p.pid,
      guid: p.entity_id,
      name: p.name ?? (exe ? splitPath(exe).name : undefined),
      executable: exe,
      command_line: p.command_line,
      user: p.user?.name ? (p.user.domain ? `${p.user.domain}\\${p.user.name}` : p.user.name) : undefined,
      start: opts.starting ? (p.start ?? this.time) : p.start,
      end: p.end,
      working_directory: p.working_directory,
      integrity_level: p.integrity_level,
      md5: p.hash?.md5,
      sha1: p.hash?.sha1,
      sha256: p.hash?.sha256,
    };
    const label = props.name ? String(props.name) : '';
    const text = exe ? (p.command_line ? `${exe} ${p.command_line}` : exe) : p.command_line;
    this.upsert('Process', key, label, definedOnly(props) ?? {}, text || undefined, id);
    // A process start or end states the fact even when the node existed already.
    const node = this.nodes.get(id)!;
    if (opts.starting && p.command_line && !node.props.command_line) node.props.command_line = p.command_line;
    if (opts.ending && node.props.end === undefined) node.props.end = p.end ?? this.time;
    return id;
  }

  /** Runs `fn` with occurrences stamped with this time and event (for edges not made from an event). */
  linkAt(time: number, eventId: string, fn: () => void): void {
    const saved = { t: this.time, e: this.eventId, s: this.seq, p: this.primary };
    this.time = time;
    this.eventId = eventId;
    this.seq = 0;
    this.primary = [];
    try {
      fn();
    } finally {
      this.time = saved.t;
      this.eventId = saved.e;
      this.seq = saved.s;
      this.primary = saved.p;
    }
  }

  alertNode(id: string, title: string, props: Record<string, unknown>): string {
    return this.upsert('Alert', id, title, props, title);
  }

  // ------------------------------------------------------------------------------------------
  // edges

  link(type: EdgeType, src: string | undefined, dst: string | undefined, details?: Record<string, unknown>): void {
    if (!src || !dst) return;
    if (this.primary.length < 3 && type !== 'file_of' && !this.primary.includes(dst)) this.primary.push(dst);
    const id = edgeId(type, src, dst);
    if (!this.edges.has(id)) this.edges.set(id, { id, type, src, dst });
    this.occurrences.push({ edgeId: id, eventId: this.eventId, seq: this.seq++, time: this.time, details: details && definedOnly(details) });
  }

  /**
   * Sysmon 3 and the Security log's 5156 both record one connection. A sighting of the same
   * process, destination and ports from another log within two seconds is not a new occurrence.
   */
  private recentConnections = new Map<string, { time: number; dataset?: string }>();

  private sameConnection(from: string | undefined, e: Event): boolean {
    const key = `${from}|${canonicalIp(e.destination?.ip)}|${e.destination?.port}|${e.source?.port}`;
    const prev = this.recentConnections.get(key);
    const dataset = e.event.dataset;
    if (prev && prev.dataset !== dataset && Math.abs(prev.time - this.time) <= 2000) return true;
    if (this.recentConnections.size > 50_000) this.recentConnections.clear();
    this.recentConnections.set(key, { time: this.time, dataset });
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // events

  /**
   * Adds what the event says to the graph. Returns the nodes the event is chiefly about (its
   * process, and what that process acted on), which alerts raised on the event point at.
   */
  addEvent(e: Event, eventId: string): string[] {
    this.primary = [];
    this.addEventEdges(e, eventId);
    return this.primary;
  }

  private primary: string[] = [];

  private addEventEdges(e: Event, eventId: string): void {
    this.eventId = eventId;
    this.seq = 0;
    this.time = e['@timestamp'];
    const host = e.host?.name;
    if (host) this.hostNode(host);
    const a = e.event.action;
    const p = e.process;

    if (a === 'process-start' && p) {
      const child = this.processNode(host, p, { starting: true });
      if (child) this.primary.push(child);
      if (p.executable) this.link('file_of', this.fileNode(host, p.executable, hashProps(p)), child);
      if (p.parent && (p.parent.entity_id || p.parent.pid !== undefined)) {
        if (p.parent.entity_id && p.parent.pid !== undefined) {
          const seen = this.pids.parentSeen(host, p.parent.pid, p.parent.entity_id, p.parent.executable);
          if (seen.replaced) this.renames.set(nodeId('Process', seen.replaced), nodeId('Process', seen.key));
        }
        const parent = this.processNode(host, p.parent);
        if (parent && p.parent.executable) this.link('file_of', this.fileNode(host, p.parent.executable), parent);
        this.link('launched', parent, child, { command_line: p.command_line });
      }
      return;
    }
    if (a === 'process-end' && p) {
      this.processNode(host, p, { ending: true });
      return;
    }

    const actor = p ? this.processNode(host, p) : undefined;
    if (actor) this.primary.push(actor);

    switch (a) {
      case 'network-connection': {
        const dst = this.ipNode(e.destination?.ip);
        const details = {
          port: e.destination?.port,
          protocol: e.network?.transport,
          src_ip: canonicalIp(e.source?.ip),
          src_port: e.source?.port,
          direction: e.network?.direction,
          service: e.zeek?.service,
          conn_state: e.zeek?.conn_state,
          bytes_out: e.source?.bytes,
          bytes_in: e.destination?.bytes,
          uid: e.zeek?.uid,
        };
        const from = actor ?? this.ipNode(e.source?.ip);
        if (this.sameConnection(from, e)) break;
        // A connection logged by host name only (Procmon, sandboxes) goes to the Domain.
        this.link('connected_to', from, dst ?? this.domainNode(e.destination?.domain), details);
        if (e.destination?.domain && dst) this.link('resolves_to', this.domainNode(e.destination.domain), dst, { via: 'connection' });
        break;
      }
      case 'dns-query': {
        const q = e.dns?.question?.name;
        const dom = this.domainNode(q);
        const from = actor ?? this.ipNode(e.source?.ip);
        this.link('dns_query_for', from, dom, { type: e.dns?.question?.type, rcode: e.dns?.response_code, server: canonicalIp(e.destination?.ip) });
        if (dom) {
          // Each answer once: Sysmon's resolved_ip and answers list the same addresses.
          const seen = new Set<string>();
          for (const ans of e.dns?.answers ?? []) {
            if (ans.type === 'A' || ans.type === 'AAAA' || (!ans.type && canonicalIp(ans.data))) {
              const ip = canonicalIp(ans.data);
              if (!ip || seen.has(ip)) continue;
              seen.add(ip);
              this.link('resolves_to', dom, this.ipNode(ip), { type: ans.type, ttl: ans.ttl });
            } else if (ans.type === 'CNAME') {
              this.link('resolves_to', dom, this.domainNode(ans.data), { type: 'CNAME', ttl: ans.ttl });
            }
          }
          for (const ipText of e.dns?.resolved_ip ?? []) {
            const ip = canonicalIp(ipText);
            if (!ip || seen.has(ip)) continue;
            seen.add(ip);
            this.link('resolves_to', dom, this.ipNode(ip));
          }
        }
        break;
      }
      case 'http-request': {
        const hostHeader = e.url?.domain;
        const raw = e.url?.full ?? e.url?.original ?? e.url?.path;
        const uri = raw ? this.uriNode(raw, hostHeader) : undefined;
        const from = actor ?? this.ipNode(e.source?.ip);
        if (uri) {
          this.link('http_request_to', from, uri.id, {
            method: e.http?.request?.method,
            status: e.http?.response?.status_code,
            user_agent: e.user_agent?.original,
            port: e.destination?.port,
          });
          // A URI belongs to its own host and nothing else.
          const dom = this.domainNode(uri.host ?? hostHeader);
          if (dom) this.link('uri_of', uri.id, dom);
          const dst = this.ipNode(e.destination?.ip);
          if (dom && dst && dom !== dst) this.link('resolves_to', dom, dst, { via: 'http' });
        } else if (e.destination?.ip) {
          this.link('connected_to', from, this.ipNode(e.destination.ip), { port: e.destination.port, protocol: 'http' });
        }
        break;
      }
      case 'tls-session': {
        const dst = this.ipNode(e.destination?.ip);
        const sni = e.tls?.client?.server_name;
        if (sni && dst) this.link('resolves_to', this.domainNode(sni), dst, { via: 'tls-sni' });
        if (actor) this.link('connected_to', actor, dst, { port: e.destination?.port, protocol: 'tls', server_name: sni });
        break;
      }
      case 'file-create':
      case 'file-modify':
      case 'file-stream-create':
      case 'pipe-create':
        if (e.file?.path) {
          const file = this.fileNode(host, e.file.path, fileProps(e));
          this.link('wrote', actor, file, { action: a === 'file-create' ? undefined : a });
          // A copy: the source file is the one the new one came from.
          if (e.file.original_path) this.link('copied_to', this.fileNode(host, e.file.original_path), file);
        }
        break;
      case 'file-delete':
        if (e.file?.path) this.link('deleted', actor, this.fileNode(host, e.file.path, fileProps(e)));
        break;
      case 'file-rename':
        if (e.file?.path) {
          const to = this.fileNode(host, e.file.path, fileProps(e));
          this.link('renamed', actor, to, { from: e.file.original_path });
        }
        break;
      case 'file-access':
      case 'pipe-connect':
      case 'raw-access-read':
        if (e.file?.path) this.link('accessed', actor, this.fileNode(host, e.file.path));
        break;
      case 'image-load':
      case 'driver-load':
        if (e.dll?.path) this.link('loaded', actor, this.fileNode(host, e.dll.path, hashProps(e.dll)));
        break;
      case 'registry-value-set':
      case 'registry-value-delete':
      case 'registry-key-create':
      case 'registry-key-delete':
      case 'registry-key-rename':
      case 'registry-key-access': {
        const r = e.registry;
        if (!r?.path) break;
        const isValue = a === 'registry-value-set' || a === 'registry-value-delete';
        const keyPath = isValue && r.value !== undefined && r.path.endsWith(`\\${r.value}`) ? r.path.slice(0, -(r.value.length + 1)) : r.path;
        const key = this.registryNode(host, keyPath);
        const type: EdgeType =
          a === 'registry-value-set' ? 'changed_value'
          : a === 'registry-value-delete' ? 'deleted_value'
          : a === 'registry-key-create' ? 'created_key'
          : a === 'registry-key-delete' ? 'deleted_key'
          : a === 'registry-key-access' ? 'read_key'
          : 'changed_value';
        this.link(type, actor, key, { value: isValue ? r.value : undefined, data: r.data?.strings?.[0]?.slice(0, 4096), data_type: r.data?.type });
        break;
      }
      case 'process-access':
      case 'remote-thread': {
        const tgt = e.target?.process ? this.processNode(host, e.target.process) : undefined;
        this.link(a === 'process-access' ? 'accessed_process' : 'created_thread_in', actor, tgt, {
          granted_access: e.raw.GrantedAccess as string | undefined,
          start_function: e.raw.StartFunction as string | undefined,
        });
        break;
      }
      case 'logon':
      case 'logon-failed':
      case 'special-logon': {
        if (!host) break;
        this.link('logged_on', this.userNode(e.user), this.hostNode(host), {
          outcome: e.event.outcome,
          logon_type: e.winlog?.logon?.type,
          source_ip: canonicalIp(e.source?.ip),
          action: a,
        });
        break;
      }
      default:
        break;
    }
  }
}

/** Whether a process node already holds every fact this sighting `p` states (see processNode). */
function knowsAll(n: GraphNode, p: Omit<ProcessFields, 'parent'>): boolean {
  const k = n.props;
  if ((p.name || p.executable) && (!n.label || k.name === undefined)) return false;
  if (p.executable !== undefined && k.executable === undefined) return false;
  if (p.command_line !== undefined && k.command_line === undefined) return false;
  if (p.pid !== undefined && k.pid === undefined) return false;
  if (p.entity_id !== undefined && k.guid === undefined) return false;
  if (p.user?.name && k.user === undefined) return false;
  if (p.start !== undefined && k.start === undefined) return false;
  if (p.end !== undefined && k.end === undefined) return false;
  if (p.working_directory !== undefined && k.working_directory === undefined) return false;
  if (p.integrity_level !== undefined && k.integrity_level === undefined) return false;
  const h = p.hash;
  if (h && ((h.md5 && k.md5 === undefined) || (h.sha1 && k.sha1 === undefined) || (h.sha256 && k.sha256 === undefined))) return false;
  // The search text is the image and command line; a longer one is news.
  const textLength = (p.executable?.length ?? 0) + (p.command_line?.length ?? 0) + (p.executable && p.command_line ? 1 : 0);
  return textLength <= (n.text?.length ?? 0);
}

/** Whether a file node already holds every property in `extra`. */
function knowsExtra(n: GraphNode, extra: Record<string, unknown>): boolean {
  for (const k in extra) if (extra[k] !== undefined && n.props[k] === undefined) return false;
  return true;
}

/**
 * A copy of `o` without its undefined members, or undefined when none is left. (Deleting members
 * instead would turn each object into a slow dictionary-mode object, for the store to serialise.)
 */
function definedOnly(o: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    const v = o[k];
    if (v !== undefined) (out ??= {})[k] = v;
  }
  return out;
}

function hashProps(p: { hash?: { md5?: string; sha1?: string; sha256?: string } } | undefined): Record<string, unknown> {
  const h = p?.hash;
  if (!h) return {};
  return { md5: h.md5, sha1: h.sha1, sha256: h.sha256 };
}

function fileProps(e: Event): Record<string, unknown> {
  return hashProps(e.file);
}

