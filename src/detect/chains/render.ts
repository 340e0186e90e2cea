/**
 * Threats for people: as a terminal tree and as an HTML fragment. Every string in a threat came
 * from evidence (command lines, paths, user names) or from rules, so all of it is hostile: control
 * and bidirectional-override characters are shown as escapes in the terminal, everything is
 * HTML-escaped in HTML, and long strings are cut for display (the stored record keeps them whole).
 */
import { escapeHtml } from '../../report/escape.js';
import { terminalSafe } from '../../report/terminal.js';
import type { ThreatNode, ThreatRecord, ThreatSummary } from '../../store/threats.js';

/** Terminal-safe text (report/terminal.ts), longer by default for chain trees. */
export const termSafe = (s: unknown, max = 300): string => terminalSafe(s, max);

function iso(t: number | undefined): string {
  return t !== undefined && Number.isFinite(t) ? new Date(t).toISOString().replace('.000Z', 'Z') : '?';
}

function name(n: ThreatNode): string {
  if (!n.image) return n.pid !== undefined ? `pid ${n.pid}` : '(unknown)';
  return n.image.slice(Math.max(n.image.lastIndexOf('\\'), n.image.lastIndexOf('/')) + 1);
}

function children(tree: ThreatNode[]): Map<string | undefined, ThreatNode[]> {
  const keys = new Set(tree.map((n) => n.key));
  const out = new Map<string | undefined, ThreatNode[]>();
  for (const n of tree) {
    const parent = n.parentKey !== undefined && keys.has(n.parentKey) && n.parentKey !== n.key ? n.parentKey : undefined;
    (out.get(parent) ?? out.set(parent, []).get(parent)!).push(n);
  }
  return out;
}

export function threatLine(t: ThreatSummary): string {
  const top = t.attribution[0];
  return [
    t.id,
    t.state.padEnd(7),
    `score ${t.score}`.padEnd(10),
    termSafe(t.host, 40),
    termSafe(t.head.image ?? t.head.key, 80),
    `${t.members} processes, ${t.hitCount} hits`,
    t.techniques.map((x) => x.id).join(' '),
    top ? `~ ${termSafe(top.name, 40)}` : '',
  ]
    .filter(Boolean)
    .join('  ');
}

/** A threat as terminal text: header, tactics, techniques, attribution, then the tree with hits. */
export function threatText(t: ThreatRecord, opts: { width?: number } = {}): string {
  const w = opts.width ?? 160;
  const out: string[] = [];
  out.push(`Threat ${t.id} on ${termSafe(t.host, 80)}: score ${t.score} (threshold ${t.threshold}), ${t.level}, ${t.open ? 'open' : 'closed'}, state ${t.state}${t.stateBy ? ` by ${termSafe(t.stateBy, 64)} at ${iso(t.stateAt)}` : ''}`);
  if (t.mergedInto) out.push(`  merged into ${t.mergedInto}`);
  out.push(`  seen ${iso(t.firstSeen)} .. ${iso(t.lastSeen)}; ${t.members} processes, ${t.hitCount} hits`);
  if (t.tactics.length) out.push(`  tactics: ${t.tactics.join(' > ')}`);
  if (t.techniques.length) {
    out.push('  techniques:');
    for (const x of t.techniques) out.push(`    ${x.id.padEnd(10)} ${termSafe(x.name ?? '', 60)}${x.allowedOnly ? '  (allowed process only: no score)' : ''}  [${x.hits} hits]`);
  }
  if (t.attribution.length) {
    out.push('  looks like:');
    for (const a of t.attribution) out.push(`    ${a.id.padEnd(6)} ${termSafe(a.name, 50)} (${a.kind}, ${a.score}): ${a.shared.join(' ')}`);
  }
  out.push('  tree:');
  const kids = children(t.tree);
  const walk = (n: ThreatNode, prefix: string, last: boolean, depth: number) => {
    const branch = depth === 0 ? '' : last ? '└─ ' : '├─ ';
    const flags = [n.context ? 'root' : '', n.placeholder && !n.context ? 'start not seen' : '', n.end !== undefined ? 'ended' : '', n.allowed ? `allowed: ${termSafe(n.allowed, 60)}` : '']
      .filter(Boolean)
      .join(', ');
    const head = `${prefix}${branch}${termSafe(name(n), 60)}${n.pid !== undefined ? ` [${n.pid}]` : ''}${flags ? ` (${flags})` : ''}`;
    out.push(`    ${head}${n.commandLine ? `  ${termSafe(n.commandLine, Math.max(40, w - head.length - 6))}` : ''}`);
    const pad = prefix + (depth === 0 ? '' : last ? '   ' : '│  ');
    for (const h of n.hits) out.push(`    ${pad}   ! ${h.level} ${termSafe(h.title, 100)}${h.techniques.length ? ` (${h.techniques.join(', ')})` : ''}${h.count > 1 ? ` x${h.count}` : ''}`);
    const cs = kids.get(n.key) ?? [];
    cs.forEach((c, i) => walk(c, pad, i === cs.length - 1, depth + 1));
  };
  const tops = kids.get(undefined) ?? [];
  tops.forEach((n, i) => walk(n, '', i === tops.length - 1, 0));
  if (t.treeTruncated) out.push(`    ... and ${t.treeTruncated} more processes`);
  return out.join('\n');
}

/** A threat as an HTML fragment (nested lists); every evidence string escaped. */
export function threatHtml(t: ThreatRecord): string {
  const e = escapeHtml;
  const kids = children(t.tree);
  const node = (n: ThreatNode): string => {
    const hits = n.hits
      .map((h) => `<li class="hit level-${e(h.level)}">${e(h.level)}: ${e(h.title)}${h.techniques.length ? ` <span class="tech">${e(h.techniques.join(', '))}</span>` : ''}${h.count > 1 ? ` &times;${h.count}` : ''}</li>`)
      .join('');
    const cs = (kids.get(n.key) ?? []).map(node).join('');
    return (
      `<li class="proc${n.context ? ' context' : ''}${n.allowed ? ' allowed' : ''}"><span class="image">${e(name(n))}</span>` +
      (n.pid !== undefined ? ` <span class="pid">[${e(n.pid)}]</span>` : '') +
      (n.commandLine ? ` <code class="cmd">${e(n.commandLine)}</code>` : '') +
      (n.allowed ? ` <span class="allowed">allowed: ${e(n.allowed)}</span>` : '') +
      (hits ? `<ul class="hits">${hits}</ul>` : '') +
      (cs ? `<ul>${cs}</ul>` : '') +
      '</li>'
    );
  };
  const techs = t.techniques.map((x) => `<li>${e(x.id)} ${e(x.name ?? '')}${x.allowedOnly ? ' (allowed only)' : ''}</li>`).join('');
  const attr = t.attribution.map((a) => `<li>${e(a.name)} (${e(a.id)}, ${e(a.kind)}, ${e(a.score)}): ${e(a.shared.join(' '))}</li>`).join('');
  return (
    `<section class="threat" id="threat-${e(t.id)}"><h3>Threat ${e(t.id)} on ${e(t.host)}: score ${e(t.score)}</h3>` +
    `<p>${e(iso(t.firstSeen))} .. ${e(iso(t.lastSeen))}; ${e(t.members)} processes, ${e(t.hitCount)} hits; state ${e(t.state)}</p>` +
    (t.tactics.length ? `<p class="tactics">${t.tactics.map(e).join(' &rarr; ')}</p>` : '') +
    (techs ? `<ul class="techniques">${techs}</ul>` : '') +
    (attr ? `<p>Looks like:</p><ul class="attribution">${attr}</ul>` : '') +
    `<ul class="tree">${(kids.get(undefined) ?? []).map(node).join('')}</ul>` +
    (t.treeTruncated ? `<p>and ${e(t.treeTruncated)} more processes</p>` : '') +
    '</section>'
  );
}
