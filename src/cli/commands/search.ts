/** `loupe search TEXT`: substring search over command lines, paths, domains, URIs and registry keys. */
import type { Command } from 'commander';
import { safe, table } from '../format.js';
import { withCase, withStoreOptions } from '../store-options.js';

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('search')
      .description('find entities whose command line, path, domain, URI, address or key contains TEXT')
      .argument('<text>', 'text to look for (case-insensitive substring)')
      .option('--limit <n>', 'most hits to show', '50')
      .option('--json', 'print hits as JSON'),
  ).action(async (text: string, o) => {
    await withCase(o, (c) => {
      const hits = c.search(text, Math.max(1, Number(o.limit) || 50));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(hits.map((h) => ({ id: h.node.id, type: h.node.type, label: h.node.label, snippet: h.snippet, properties: h.node.props })), null, 2)}\n`);
        return;
      }
      if (!hits.length) {
        process.stdout.write(`no entity contains "${safe(text)}"\n`);
        return;
      }
      process.stdout.write(`${table(['type', 'id', 'match'], hits.map((h) => [h.node.type, h.node.id, safe(h.snippet, 140)]))}\n`);
    });
  });
}
