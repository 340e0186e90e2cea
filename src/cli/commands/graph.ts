/** `loupe graph export`: a case's entity graph as JSON node-link, GraphML or Cytoscape JSON. */
import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeGraph, type GraphFormat } from '../../graph/export/formats.js';
import { withCase, withStoreOptions } from '../store-options.js';

export function register(program: Command): void {
  const graph = program.command('graph').description("a case's entity graph");
  withStoreOptions(
    graph
      .command('export')
      .description('write the graph as JSON (node-link), GraphML or Cytoscape JSON')
      .option('--format <format>', 'json | graphml | cytoscape (default: from the file extension, else json)')
      .option('-o, --out <file>', 'output file (default: standard output)'),
  ).action(async (o) => {
    const format: GraphFormat = o.format ?? (/\.graphml$/i.test(o.out ?? '') ? 'graphml' : /cytoscape|\.cyjs$/i.test(o.out ?? '') ? 'cytoscape' : 'json');
    if (!['json', 'graphml', 'cytoscape'].includes(format)) {
      process.stderr.write(`loupe graph export: unknown format ${format} (json, graphml, cytoscape)\n`);
      process.exitCode = 2;
      return;
    }
    await withCase(o, async (c) => {
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      const chunks: string[] = [];
      writeGraph(format, c.nodes(), c.edges(), (s) => {
        chunks.push(s);
        if (chunks.length >= 512) out.write(chunks.splice(0).join(''));
      });
      out.write(chunks.join(''));
      if (out !== process.stdout) {
        out.end();
        await once(out, 'finish');
      }
    });
  });
}
