/**
 * One process start seen twice, first without a GUID (Security 4688) and then with one (Sysmon 1),
 * becomes one Process node with the GUID identity. When edges pointing at the first sighting were
 * already handed to the store, that node must stay (marked `same_as`) so no stored edge points at
 * nothing; when they were not, it goes and its edges are re-pointed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../src/graph/builder.js';
import type { Event } from '../../src/normalize/event.js';

const T = Date.UTC(2024, 0, 1, 10, 0, 0);
const CMD = 'C:\\Windows\\System32\\cmd.exe';
const PS = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';

function start(time: number, guid: string | undefined, dataset: string): Event {
  return {
    '@timestamp': time,
    event: { kind: 'event', category: ['process'], type: ['start'], action: 'process-start', dataset },
    host: { name: 'WS1' },
    process: { pid: 0x300, executable: PS, command_line: 'powershell -nop', start: time, entity_id: guid, parent: { pid: 0x200, executable: CMD } },
    raw: {},
    origin: { file: 'x', format: 'test' },
  } as unknown as Event;
}

function run(drainBetween: boolean) {
  const g = new GraphBuilder();
  g.addEvent(start(T, undefined, 'windows.security'), 'e1');
  const first = g.drain();
  const early = first.edges.find((e) => e.type === 'launched')!;
  if (!drainBetween) {
    // Put the first window back as if it had not been drained yet: a fresh builder sees both.
    const g2 = new GraphBuilder();
    g2.addEvent(start(T, undefined, 'windows.security'), 'e1');
    g2.addEvent(start(T + 500, '{AAAAAAAA-0000-0000-0000-000000000001}', 'windows.sysmon'), 'e2');
    return { early, last: g2.drain({ nodes: true }) };
  }
  g.addEvent(start(T + 500, '{AAAAAAAA-0000-0000-0000-000000000001}', 'windows.sysmon'), 'e2');
  return { early, last: g.drain({ nodes: true }) };
}

test('a renamed process whose edges were already drained stays, marked same_as its GUID identity', () => {
  const { early, last } = run(true);
  const procs = last.nodes.filter((n) => n.type === 'Process' && n.props.executable === PS);
  const byGuid = procs.find((n) => n.props.guid);
  const old = procs.find((n) => n.id === early.dst);
  assert.ok(byGuid, 'the GUID identity exists');
  assert.ok(old, 'the drained sighting is kept');
  assert.equal(old.props.same_as, byGuid.id);
  // the new launched edge points at the GUID identity
  assert.ok(last.edges.some((e) => e.type === 'launched' && e.dst === byGuid.id));
});

test('a renamed process whose edges were not drained yet is folded away', () => {
  const { early, last } = run(false);
  const procs = last.nodes.filter((n) => n.type === 'Process' && n.props.executable === PS);
  assert.equal(procs.length, 1, 'one node for the one process');
  assert.ok(procs[0].props.guid);
  assert.ok(!last.nodes.some((n) => n.id === early.dst));
  const launched = last.edges.filter((e) => e.type === 'launched');
  assert.ok(launched.length >= 1 && launched.every((e) => e.dst === procs[0].id));
});
