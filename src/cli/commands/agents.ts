/**
 * `loupe agents add|list|revoke|rotate`: the tokens of the live server. An agent token may only
 * send events; `--analyst` makes the token that reads threats and sets their states. A token is
 * printed once and stored only as its SHA-256.
 */
import type { Command } from 'commander';
import { defaultDbPath, openStore } from '../../store/index.js';
import { openAgentRegistry, type AgentInfo } from '../../store/threats.js';
import { safe, table } from '../format.js';

function when(t: number | undefined): string {
  return t === undefined ? '' : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function register(program: Command): void {
  const agents = program.command('agents').description("the live server's tokens: one per agent, and analyst tokens");

  agents
    .command('add')
    .description('create a token (printed once; only its hash is kept)')
    .argument('<name>', 'agent (or analyst) name: letters, digits, . _ @ -')
    .option('--analyst', 'a token that reads threats and sets their states (not one that sends events)')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--json', 'print as JSON')
    .action((name: string, o) => {
      const store = openStore(o.db ?? defaultDbPath());
      try {
        const { agent, token } = openAgentRegistry(store).add(name, o.analyst ? 'analyst' : 'agent');
        if (o.json) process.stdout.write(`${JSON.stringify({ ...agent, token })}\n`);
        else
          process.stdout.write(
            `${agent.role} token for ${agent.name} (shown once, keep it safe):\n${token}\n` +
              (agent.role === 'agent'
                ? `send events with: curl -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: <batch id>" --data-binary @events.ndjson http://127.0.0.1:7790/api/v1/ingest\n`
                : `read threats with: curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:7790/api/v1/threats\n`),
          );
      } finally {
        store.close();
      }
    });

  agents
    .command('list')
    .description('the tokens there are (names and roles; never the tokens)')
    .option('--db <path>', 'store file')
    .option('--json', 'print as JSON')
    .action((o) => {
      const store = openStore(o.db ?? defaultDbPath());
      try {
        const list: AgentInfo[] = openAgentRegistry(store).list();
        if (o.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (!list.length) process.stdout.write('no tokens yet: loupe agents add NAME\n');
        else process.stdout.write(`${table(['name', 'role', 'created', 'revoked'], list.map((a) => [safe(a.name, 64), a.role, when(a.created), when(a.revoked)]))}\n`);
      } finally {
        store.close();
      }
    });

  agents
    .command('revoke')
    .description('stop a token from working')
    .argument('<name>')
    .option('--db <path>', 'store file')
    .action((name: string, o) => {
      const store = openStore(o.db ?? defaultDbPath());
      try {
        if (openAgentRegistry(store).revoke(name)) process.stdout.write(`revoked ${safe(name, 64)}\n`);
        else {
          process.stderr.write(`loupe agents revoke: no active token named ${safe(name, 64)}\n`);
          process.exitCode = 1;
        }
      } finally {
        store.close();
      }
    });

  agents
    .command('rotate')
    .description('a new token for a name (the old one stops working)')
    .argument('<name>')
    .option('--db <path>', 'store file')
    .action((name: string, o) => {
      const store = openStore(o.db ?? defaultDbPath());
      try {
        const r = openAgentRegistry(store).rotate(name);
        if (r) process.stdout.write(`new ${r.agent.role} token for ${r.agent.name} (shown once):\n${r.token}\n`);
        else {
          process.stderr.write(`loupe agents rotate: no token named ${safe(name, 64)}\n`);
          process.exitCode = 1;
        }
      } finally {
        store.close();
      }
    });
}
