/**
 * The graph the analyst has pulled in so far (never the whole case graph): a graphology multigraph
 * whose nodes and edges come from the server a neighbourhood at a time. Positions: new neighbours
 * on a ring around the node they were expanded from, so what was there stays where it was.
 */
import Graph from 'graphology';
import type { EdgeTypeCounts, Level, NodeSummary, StoredEdge } from './types';

export const TYPE_COLORS: Record<string, string> = {
  Process: '#4e79a7',
  File: '#59a14f',
  IPAddress: '#e15759',
  Domain: '#f28e2b',
  URI: '#b6992d',
  RegistryKey: '#b07aa1',
  Host: '#76b7b2',
  User: '#ff9da7',
  Alert: '#d62728',
};

export const LEVEL_COLORS: Record<Level, string> = {
  informational: '#8c8c8c',
  low: '#4e9a06',
  medium: '#c4a000',
  high: '#ce5c00',
  critical: '#cc0000',
};

export interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  summary: NodeSummary;
}

export interface EdgeAttrs {
  etype: string;
  size: number;
  color: string;
  edge: StoredEdge;
}

export type CaseGraph = Graph<NodeAttrs, EdgeAttrs>;

export function newGraph(): CaseGraph {
  return new Graph<NodeAttrs, EdgeAttrs>({ multi: true, type: 'directed', allowSelfLoops: true });
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

function attrs(n: NodeSummary, x: number, y: number): NodeAttrs {
  const label = n.label.length > 40 ? `${n.label.slice(0, 39)}…` : n.label;
  return { x, y, size: n.type === 'Alert' || n.type === 'Host' ? 9 : 6, color: n.type === 'Alert' && n.level ? LEVEL_COLORS[n.level] : (TYPE_COLORS[n.type] ?? '#999'), label, summary: n };
}

/** Adds a node (near another when given); returns whether it was new. */
export function addNode(g: CaseGraph, n: NodeSummary, near?: string): boolean {
  if (g.hasNode(n.id)) return false;
  let x = 0;
  let y = 0;
  if (near && g.hasNode(near)) {
    const a = g.getNodeAttributes(near);
    const angle = hash(n.id) * 2 * Math.PI;
    const r = 1 + hash(`${n.id}r`) * 0.6;
    x = a.x + r * Math.cos(angle);
    y = a.y + r * Math.sin(angle);
  } else if (g.order > 0) {
    // A new starting point: beside what is there.
    let maxX = -Infinity;
    g.forEachNode((_id, a) => (maxX = Math.max(maxX, a.x)));
    x = maxX + 3;
    y = hash(n.id) * 2 - 1;
  }
  g.addNode(n.id, attrs(n, x, y));
  return true;
}

/** Places a batch of new neighbours evenly on a ring around `center` (nodes already there stay). */
export function addNeighbours(g: CaseGraph, center: string, nodes: NodeSummary[], edges: StoredEdge[]): { nodes: number; edges: number } {
  const fresh = nodes.filter((n) => !g.hasNode(n.id));
  const c = g.hasNode(center) ? g.getNodeAttributes(center) : { x: 0, y: 0 };
  const r = Math.max(1.2, fresh.length / 5);
  const turn = hash(center) * 2 * Math.PI;
  fresh.forEach((n, i) => {
    const angle = turn + (2 * Math.PI * i) / fresh.length;
    g.addNode(n.id, attrs(n, c.x + r * Math.cos(angle), c.y + r * Math.sin(angle)));
  });
  let added = 0;
  for (const e of edges) if (addEdge(g, e)) added++;
  return { nodes: fresh.length, edges: added };
}

export function addEdge(g: CaseGraph, e: StoredEdge): boolean {
  if (g.hasEdge(e.id) || !g.hasNode(e.src) || !g.hasNode(e.dst)) return false;
  g.addDirectedEdgeWithKey(e.id, e.src, e.dst, { etype: e.type, size: Math.min(5, 1 + Math.log10(Math.max(1, e.count))), color: e.type === 'alerted_on' ? '#e8a0a0' : '#b8b8b8', edge: e });
  return true;
}

/** Edge types worth offering as toggles, from a node's counts. */
export function typesOf(counts: EdgeTypeCounts): string[] {
  return Object.keys(counts).sort();
}
