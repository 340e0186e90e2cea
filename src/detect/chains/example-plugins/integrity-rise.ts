/**
 * Example chain plugin (needs no network): a process that runs at a higher integrity level than
 * the process that started it went around UAC or got a token it should not have (ATT&CK T1548.002,
 * T1134). RmEye's plugin of this kind ranked `System` below `Medium`, so a child running as System
 * scored nothing; here System is the highest.
 *
 * Load it with `loupe serve --plugins <this folder>` (or `loupe analyze --plugins`). Copy it as a
 * starting point for your own: a module whose default export is a ChainPlugin.
 */
import type { ChainPlugin, PluginHit } from '../plugins.js';

const RANK: Record<string, number> = { untrusted: 0, low: 1, medium: 2, mediumplus: 2, 'medium plus': 2, high: 3, system: 4, protected: 5 };

function rank(level: string | undefined): number | undefined {
  if (!level) return undefined;
  const l = level.toLowerCase();
  // Security 4688 writes the mandatory label as a SID (S-1-16-12288 = High).
  const sid = /^s-1-16-(\d+)$/.exec(l);
  if (sid) return Math.floor(Number(sid[1]) / 4096);
  return RANK[l];
}

/** Brokers that legitimately start elevated children. */
const ELEVATORS = /\\(consent|svchost|services|winlogon|wininit|smss|csrss|lsass|taskhostw|taskeng|runtimebroker|msiexec|trustedinstaller|tiworker)\.exe$/i;

const plugin: ChainPlugin = {
  name: 'integrity-rise',
  version: '1.0.0',
  description: 'a child running at a higher integrity level than its parent',
  processCreated(p): PluginHit | undefined {
    const parent = p.parent;
    if (!parent || parent.placeholder) return undefined;
    const mine = rank(p.integrity);
    const theirs = rank(parent.integrity);
    if (mine === undefined || theirs === undefined || mine <= theirs || theirs >= 3) return undefined;
    if (parent.image && ELEVATORS.test(parent.image)) return undefined;
    return {
      ruleId: 'integrity-rise',
      title: `integrity rose from ${parent.integrity} to ${p.integrity}`,
      level: 'medium',
      techniques: ['T1548.002', 'T1134'],
      tactics: ['privilege-escalation', 'defense-evasion'],
    };
  },
};

export default plugin;
