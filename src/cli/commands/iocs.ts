/**
 * `loupe iocs import|list|remove`: indicators and whitelist entries kept in the store between
 * runs. Import reads TinyCheck JSON, MISP events, STIX 2.1 bundles, CSV, plain lists and hosts
 * files (format from content), reports counts per type and every refused line with where it
 * was, and applies the deletions a feed asks for.
 */
import type { Command } from 'commander';
import { importIocFile, IOC_FORMATS } from '../../detect/ioc/importers/index.js';
import { resolveTypeName } from '../../detect/ioc/validate.js';
import { TLPS, countByType, type IocFormat, type IocList, type IocType, type Tlp } from '../../detect/ioc/types.js';
import type { IocFilter } from '../../detect/ioc/repository.js';
import { defaultDbPath } from '../../store/index.js';
import { openIocRepository } from '../../store/sqlite/iocs.js';

const ISSUES_SHOWN = 20;

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

function err(s: string): void {
  process.stderr.write(`loupe iocs: ${s}\n`);
}

function parseType(t: string | undefined): IocType | 'auto' | undefined {
  if (t === undefined) return undefined;
  const r = resolveTypeName(t);
  if (r === undefined) throw new Error(`unknown indicator type "${t}"`);
  return r;
}

function filterFrom(o: { whitelist?: boolean; type?: string; tag?: string; source?: string; value?: string }): IocFilter {
  const f: IocFilter = { list: o.whitelist ? 'whitelist' : 'ioc' };
  const t = parseType(o.type);
  if (t !== undefined && t !== 'auto') f.type = t;
  if (o.tag !== undefined) f.tag = o.tag.toLowerCase();
  if (o.source !== undefined) f.source = o.source;
  if (o.value !== undefined) f.value = o.value.trim().toLowerCase();
  return f;
}

export function register(program: Command): void {
  const iocs = program.command('iocs').description('indicators of compromise and whitelist kept in the store');

  iocs
    .command('import')
    .description('import indicator files (TinyCheck, MISP, STIX 2.1, CSV, lists, hosts files)')
    .argument('<files...>', 'files to import')
    .option('--format <format>', `force a format (${IOC_FORMATS.join(', ')}); default: from the content`)
    .option('--type <type>', 'type of every line of a plain list (ip4, ip6, cidr, domain, freedns, tld, ns, sha1cert, ja3, md5, sha1, sha256, url, snort); default: detected per line')
    .option('--tag <tag>', 'tag for entries without one (default: suspect)')
    .option('--tlp <tlp>', `TLP for entries without one (${TLPS.join(', ')})`)
    .option('--source <name>', 'source name stored with the indicators (default: the file name)')
    .option('--whitelist', 'import into the whitelist instead of the IOC list')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], o) => {
      if (o.format !== undefined && !(IOC_FORMATS as readonly string[]).includes(o.format)) {
        err(`unknown format "${o.format}" (${IOC_FORMATS.join(', ')})`);
        process.exitCode = 2;
        return;
      }
      if (o.tlp !== undefined && !(TLPS as readonly string[]).includes(o.tlp.toLowerCase())) {
        err(`unknown TLP "${o.tlp}" (${TLPS.join(', ')})`);
        process.exitCode = 2;
        return;
      }
      let type: IocType | 'auto' | undefined;
      try {
        type = parseType(o.type);
      } catch (e) {
        err((e as Error).message);
        process.exitCode = 2;
        return;
      }
      const { repository, close } = openIocRepository(o.db ?? defaultDbPath());
      const results: Array<Record<string, unknown>> = [];
      let added = 0;
      try {
        for (const file of files) {
          let r;
          try {
            r = await importIocFile(file, { format: o.format as IocFormat | undefined, type, tag: o.tag, tlp: o.tlp?.toLowerCase() as Tlp | undefined, source: o.source, list: o.whitelist ? 'whitelist' : undefined });
          } catch (e) {
            err(`${file}: cannot read: ${(e as Error).message}`);
            results.push({ file, error: (e as Error).message });
            continue;
          }
          const list: IocList = r.format === 'tinycheck' ? r.list : o.whitelist ? 'whitelist' : 'ioc';
          const stored = repository.add(list, r.indicators);
          const removed = r.removals.length ? repository.removeValues(list, r.removals) : 0;
          added += stored.added;
          const errors = r.issues.filter((i) => i.severity === 'error');
          results.push({ file, format: r.format, list, read: r.indicators.length, byType: countByType(r.indicators), added: stored.added, duplicates: stored.duplicates, removed, errors: errors.length, warnings: r.issues.length - errors.length, skipped: r.skipped, issues: r.issues.slice(0, 200) });
          if (!o.json) {
            const types = Object.entries(countByType(r.indicators)).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
            out(`${file} (${r.format}, ${list}): ${r.indicators.length} read [${types}]; ${stored.added} added, ${stored.duplicates} already stored${removed ? `, ${removed} removed as the feed asks` : ''}; ${errors.length} refused, ${r.issues.length - errors.length} warnings`);
            const skipped = Object.entries(r.skipped);
            if (skipped.length) out(`  not indicators: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
            for (const i of r.issues.slice(0, ISSUES_SHOWN)) {
              const where = i.line !== undefined ? `line ${i.line}` : i.path ?? (i.entry !== undefined ? `entry ${i.entry}` : 'file');
              out(`  ${i.severity} ${where}: ${i.reason}${i.value !== undefined ? ` (${JSON.stringify(i.value)})` : ''}`);
            }
            if (r.issues.length > ISSUES_SHOWN) out(`  ... ${r.issues.length - ISSUES_SHOWN} more (--json lists up to 200)`);
          }
        }
      } finally {
        close();
      }
      if (o.json) out(JSON.stringify({ files: results, added }, null, 2));
      if (added === 0 && results.every((r) => r.error !== undefined || r.read === 0)) process.exitCode = 1;
    });

  iocs
    .command('list')
    .description('list stored indicators (or whitelist entries)')
    .option('--whitelist', 'list the whitelist')
    .option('--type <type>', 'only this type')
    .option('--tag <tag>', 'only this tag')
    .option('--source <name>', 'only this source')
    .option('--value <value>', 'only this value')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--offset <n>', 'skip this many rows', '0')
    .option('--counts', 'counts per type only')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--json', 'print JSON')
    .action((o) => {
      let filter: IocFilter;
      try {
        filter = filterFrom(o);
      } catch (e) {
        err((e as Error).message);
        process.exitCode = 2;
        return;
      }
      const { repository, close } = openIocRepository(o.db ?? defaultDbPath());
      try {
        if (o.counts) {
          const counts = repository.countByType(filter.list!);
          if (o.json) out(JSON.stringify(counts, null, 2));
          else for (const [k, v] of Object.entries(counts)) out(`${k}\t${v}`);
          return;
        }
        const rows = repository.list({ ...filter, limit: Number(o.limit) || 100, offset: Number(o.offset) || 0 });
        const total = repository.count(filter);
        if (o.json) out(JSON.stringify({ total, rows }, null, 2));
        else {
          for (const r of rows) out(`${r.id}\t${r.type}\t${r.value}\t${r.tag}\t${r.tlp}\t${r.source}`);
          out(`${rows.length} of ${total} shown`);
        }
      } finally {
        close();
      }
    });

  iocs
    .command('remove')
    .description('remove stored indicators by id, source, type, tag or value')
    .option('--id <id>', 'indicator id (repeatable)', collect)
    .option('--whitelist', 'remove from the whitelist')
    .option('--type <type>', 'only this type')
    .option('--tag <tag>', 'only this tag')
    .option('--source <name>', 'only this source')
    .option('--value <value>', 'only this value')
    .option('--all', 'everything in the list (IOCs, or the whitelist with --whitelist)')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--json', 'print JSON')
    .action((o) => {
      let filter: IocFilter;
      try {
        filter = filterFrom(o);
      } catch (e) {
        err((e as Error).message);
        process.exitCode = 2;
        return;
      }
      if (o.id) filter.ids = (o.id as string[]).map(Number).filter((n) => Number.isInteger(n));
      const narrowed = filter.ids !== undefined || filter.type !== undefined || filter.tag !== undefined || filter.source !== undefined || filter.value !== undefined;
      if (!narrowed && !o.all) {
        err('say what to remove (--id, --source, --type, --tag, --value) or --all');
        process.exitCode = 2;
        return;
      }
      const { repository, close } = openIocRepository(o.db ?? defaultDbPath());
      try {
        const removed = repository.remove(filter);
        out(o.json ? JSON.stringify({ removed }) : `${removed} removed`);
      } finally {
        close();
      }
    });
}
