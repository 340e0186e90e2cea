/**
 * The `loupe` command. Each subcommand lives in `commands/<name>.ts` and exports a `register`
 * function; adding a command is one module and one line in COMMANDS.
 */
import { Command } from 'commander';
import { applyHeapPolicy } from '../util/heap-policy.js';

type Register = (program: Command) => void;

const COMMANDS: Array<() => Promise<{ register: Register }>> = [
  () => import('./commands/analyze.js'),
  () => import('./commands/evtx.js'),
  () => import('./commands/graph.js'),
  () => import('./commands/search.js'),
  () => import('./commands/cases.js'),
  () => import('./commands/rules.js'),
  () => import('./commands/attack.js'),
  () => import('./commands/pcap.js'),
  () => import('./commands/iocs.js'),
  () => import('./commands/serve.js'),
  () => import('./commands/agents.js'),
  () => import('./commands/hunt.js'),
  () => import('./commands/threats.js'),
];

export async function main(argv: string[]): Promise<number> {
  applyHeapPolicy();
  const program = new Command('loupe')
    .description('Threat hunting and incident response over evidence files: graph, process trees, timeline, ATT&CK-mapped alerts')
    .version('0.1.0')
    .showHelpAfterError();
  for (const load of COMMANDS) (await load()).register(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`loupe: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
