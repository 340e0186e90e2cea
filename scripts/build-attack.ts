/**
 * Builds `data/attack.json`, the compact ATT&CK table Loupe ships, from MITRE's STIX bundle
 * (`../shared/data/attack/enterprise-attack.json` by default):
 *
 *   npx tsx scripts/build-attack.ts [bundle.json] [out.json] [--version 18.1]
 *
 * Kept: tactics in matrix order; every technique and sub-technique with its name and tactics
 * (revoked and deprecated ones flagged, revoked ones pointing at their replacement, since older
 * Sigma rules still carry their ids); groups and software by ATT&CK id; and for each technique
 * the groups and software that use it. Descriptions, references and campaigns are left out to
 * keep the file small.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AttackData } from '../src/detect/attack/data.js';

interface StixObject {
  type: string;
  id: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_shortname?: string;
  x_mitre_is_subtechnique?: boolean;
  tactic_refs?: string[];
  kill_chain_phases?: { kill_chain_name: string; phase_name: string }[];
  external_references?: { source_name: string; external_id?: string }[];
  relationship_type?: string;
  source_ref?: string;
  target_ref?: string;
  x_mitre_domains?: string[];
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const versionAt = args.indexOf('--version');
const version = versionAt >= 0 ? args.splice(versionAt, 2)[1]! : undefined;
const input = args[0] ?? join(repo, '..', 'shared', 'data', 'attack', 'enterprise-attack.json');
const output = args[1] ?? join(repo, 'data', 'attack.json');

const bundle = JSON.parse(readFileSync(input, 'utf8')) as { objects: StixObject[] };
const objects = bundle.objects;
const byId = new Map(objects.map((o) => [o.id, o]));
const attackId = (o: StixObject | undefined) =>
  o?.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;

const matrix = objects.find((o) => o.type === 'x-mitre-matrix');
if (!matrix?.tactic_refs) throw new Error('no x-mitre-matrix with tactic_refs in the bundle');
const tactics: [string, string, string][] = matrix.tactic_refs.map((ref) => {
  const t = byId.get(ref);
  if (!t?.x_mitre_shortname || !t.name) throw new Error(`tactic ${ref} missing`);
  return [attackId(t)!, t.x_mitre_shortname, t.name];
});

const techniques: AttackData['techniques'] = {};
for (const o of objects) {
  if (o.type !== 'attack-pattern') continue;
  const id = attackId(o);
  if (!id || !o.name) continue;
  const phases = (o.kill_chain_phases ?? []).filter((p) => p.kill_chain_name === 'mitre-attack').map((p) => p.phase_name);
  const flags = (o.revoked ? 'r' : '') + (o.x_mitre_deprecated ? 'd' : '');
  techniques[id] = flags ? [o.name, phases.join(' '), flags] : [o.name, phases.join(' ')];
}

const groups: AttackData['groups'] = {};
const software: AttackData['software'] = {};
for (const o of objects) {
  const id = attackId(o);
  if (!id || !o.name || o.revoked) continue;
  if (o.type === 'intrusion-set') groups[id] = o.name;
  else if (o.type === 'malware' || o.type === 'tool') software[id] = [o.name, o.type === 'tool' ? 't' : 'm'];
}

const uses = new Map<string, Set<string>>();
const revokedBy: Record<string, string> = {};
for (const r of objects) {
  if (r.type !== 'relationship' || r.revoked || r.x_mitre_deprecated) continue;
  const src = byId.get(r.source_ref ?? '');
  const dst = byId.get(r.target_ref ?? '');
  if (!src || !dst) continue;
  if (r.relationship_type === 'uses' && dst.type === 'attack-pattern' && ['intrusion-set', 'malware', 'tool'].includes(src.type)) {
    const t = attackId(dst);
    const s = attackId(src);
    if (!t || !s || src.revoked || dst.revoked) continue;
    if (!uses.has(t)) uses.set(t, new Set());
    uses.get(t)!.add(s);
  } else if (r.relationship_type === 'revoked-by' && src.type === 'attack-pattern' && dst.type === 'attack-pattern') {
    const a = attackId(src);
    const b = attackId(dst);
    if (a && b) revokedBy[a] = b;
  }
}

const usedBy: Record<string, string> = {};
for (const id of Object.keys(techniques).sort()) {
  const u = uses.get(id);
  if (u?.size) usedBy[id] = [...u].sort().join(' ');
}

const data: AttackData = {
  source: `MITRE ATT&CK Enterprise${version ? ` v${version}` : ''} (${input.split('/').pop()})`,
  version: version ?? '18.1',
  tactics,
  techniques: Object.fromEntries(Object.entries(techniques).sort(([a], [b]) => a.localeCompare(b))),
  revokedBy,
  groups,
  software,
  usedBy,
};
writeFileSync(output, `${JSON.stringify(data)}\n`);
const size = Buffer.byteLength(JSON.stringify(data));
console.log(
  `${output}: ${tactics.length} tactics, ${Object.keys(techniques).length} techniques, ${Object.keys(groups).length} groups, ` +
    `${Object.keys(software).length} software, ${[...uses.values()].reduce((a, s) => a + s.size, 0)} uses; ${(size / 1024).toFixed(0)} KiB`,
);
