/**
 * The graph out of the store, in the formats graph tools read:
 * - JSON node-link (`{ directed, multigraph, nodes, links }`, as d3, networkx and Beagle's UI read it);
 * - GraphML (yEd, Gephi, Cytoscape desktop, networkx);
 * - Cytoscape.js JSON (`{ elements: { nodes: [{ data }], edges: [{ data }] } }`).
 * Streams line by line, so a large case never sits in memory as one string.
 */
import type { GraphNode } from '../types.js';
import type { StoredEdge } from '../../store/types.js';

export type GraphFormat = 'json' | 'graphml' | 'cytoscape';

type Write = (s: string) => void;

function flatProps(n: GraphNode): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(n.props)) {
    if (v === undefined || v === null) continue;
    out[k] = typeof v === 'object' ? JSON.stringify(v) : (v as string | number | boolean);
  }
  return out;
}

function xml(s: unknown): string {
  // XML 1.0 forbids most control characters even escaped: drop them.
  return String(s)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function writeGraph(format: GraphFormat, nodes: Iterable<GraphNode>, edges: Iterable<StoredEdge>, write: Write): void {
  if (format === 'graphml') return writeGraphml(nodes, edges, write);
  if (format === 'cytoscape') {
    write('{"elements":{"nodes":[');
    let first = true;
    for (const n of nodes) {
      write(`${first ? '' : ','}\n${JSON.stringify({ data: { id: n.id, label: n.label, type: n.type, first_seen: n.firstSeen, last_seen: n.lastSeen, ...flatProps(n) } })}`);
      first = false;
    }
    write('\n],"edges":[');
    first = true;
    for (const e of edges) {
      write(`${first ? '' : ','}\n${JSON.stringify({ data: { id: e.id, source: e.src, target: e.dst, type: e.type, count: e.count, first_seen: e.firstSeen, last_seen: e.lastSeen } })}`);
      first = false;
    }
    write('\n]}}\n');
    return;
  }
  write('{"directed":true,"multigraph":false,"nodes":[');
  let first = true;
  for (const n of nodes) {
    write(`${first ? '' : ','}\n${JSON.stringify({ id: n.id, type: n.type, label: n.label, key: n.key, first_seen: n.firstSeen, last_seen: n.lastSeen, properties: n.props })}`);
    first = false;
  }
  write('\n],"links":[');
  first = true;
  for (const e of edges) {
    write(`${first ? '' : ','}\n${JSON.stringify({ id: e.id, source: e.src, target: e.dst, type: e.type, count: e.count, first_seen: e.firstSeen, last_seen: e.lastSeen })}`);
    first = false;
  }
  write('\n]}\n');
}

function writeGraphml(nodes: Iterable<GraphNode>, edges: Iterable<StoredEdge>, write: Write): void {
  // GraphML wants keys declared before use: node properties are open-ended, so nodes are
  // gathered first (the store gives them sorted; this holds one case's nodes, not its edges).
  const all = [...nodes];
  const keys = new Map<string, string>();
  for (const n of all) for (const [k, v] of Object.entries(flatProps(n))) if (!keys.has(k)) keys.set(k, typeof v === 'number' ? 'double' : typeof v === 'boolean' ? 'boolean' : 'string');
  write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n');
  write('  <key id="type" for="node" attr.name="type" attr.type="string"/>\n  <key id="label" for="node" attr.name="label" attr.type="string"/>\n');
  write('  <key id="first_seen" for="all" attr.name="first_seen" attr.type="long"/>\n  <key id="last_seen" for="all" attr.name="last_seen" attr.type="long"/>\n');
  write('  <key id="etype" for="edge" attr.name="type" attr.type="string"/>\n  <key id="count" for="edge" attr.name="count" attr.type="long"/>\n');
  const keyId = (k: string) => `p_${k.replace(/[^A-Za-z0-9_]/g, '_')}`;
  for (const [k, t] of keys) if (!['type', 'label'].includes(k)) write(`  <key id="${xml(keyId(k))}" for="node" attr.name="${xml(k)}" attr.type="${t}"/>\n`);
  write('  <graph id="loupe" edgedefault="directed">\n');
  for (const n of all) {
    write(`    <node id="${xml(n.id)}"><data key="type">${xml(n.type)}</data><data key="label">${xml(n.label)}</data>`);
    if (n.firstSeen !== undefined) write(`<data key="first_seen">${n.firstSeen}</data>`);
    if (n.lastSeen !== undefined) write(`<data key="last_seen">${n.lastSeen}</data>`);
    for (const [k, v] of Object.entries(flatProps(n))) if (!['type', 'label'].includes(k)) write(`<data key="${xml(keyId(k))}">${xml(v)}</data>`);
    write('</node>\n');
  }
  for (const e of edges) {
    write(`    <edge id="${xml(e.id)}" source="${xml(e.src)}" target="${xml(e.dst)}"><data key="etype">${xml(e.type)}</data><data key="count">${e.count}</data>`);
    if (e.firstSeen !== undefined) write(`<data key="first_seen">${e.firstSeen}</data>`);
    if (e.lastSeen !== undefined) write(`<data key="last_seen">${e.lastSeen}</data>`);
    write('</edge>\n');
  }
  write('  </graph>\n</graphml>\n');
}
