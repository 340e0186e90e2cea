import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineOf, rule, run, SYSMON } from './helpers.js';

const SEC = 'Security';
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const s = (sec: number) => T0 + sec * 1000;

const failedLogon = rule(`selection:\n    EventID: 4625\ncondition: selection`, {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'failed_logon',
  title: 'Failed logon',
  level: 'low',
  logsource: 'product: windows\nservice: security',
});
const successLogon = rule(`selection:\n    EventID: 4624\ncondition: selection`, {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'successful_logon',
  title: 'Successful logon',
  level: 'informational',
  logsource: 'product: windows\nservice: security',
});

function corr(body: string, extra = ''): string {
  return `title: Correlation\nid: 33333333-3333-4333-8333-333333333333\n${extra}correlation:\n${body
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\nlevel: high\n`;
}

const logon = (id: number, sec: number, user: string, extra: Record<string, unknown> = {}) => ({
  Channel: SEC,
  EventID: id,
  '@t': s(sec),
  TargetUserName: user,
  Computer: 'HOST1',
  ...extra,
});

test('event_count: N events of a group within the timespan', () => {
  const engine = engineOf(
    [failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 1m\ncondition:\n    gte: 3`)].join('---\n'),
  );
  assert.deepEqual(engine.failures, []);
  // alice: 3 failures in 50 s -> one alert; bob: 2 -> none; carol: 3 spread over 3 minutes -> none
  const alerts = run(engine, [
    logon(4625, 0, 'alice'), logon(4625, 20, 'alice'), logon(4625, 50, 'alice'),
    logon(4625, 0, 'bob'), logon(4625, 30, 'bob'),
    logon(4625, 0, 'carol'), logon(4625, 90, 'carol'), logon(4625, 180, 'carol'),
  ]);
  assert.equal(alerts.length, 1, 'the base rule is silent (generate defaults to false)');
  const a = alerts[0]!;
  assert.equal(a.title, 'Correlation');
  assert.equal(a.level, 'high');
  assert.equal(a.count, 3);
  assert.equal(a.time, s(0));
  assert.equal(a.lastTime, s(50));
  assert.deepEqual(a.details!.groupBy, { TargetUserName: 'alice' });
  assert.equal(a.host, 'HOST1');
  assert.equal(a.events.length, 3);
});

test('event_count windows slide: 6 events in a row make two alerts of 3; input order does not matter', () => {
  const engine = engineOf([failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 1m\ncondition:\n    gte: 3`)].join('---\n'));
  const evs = [0, 10, 20, 30, 40, 50].map((t) => logon(4625, t, 'alice'));
  assert.equal(run(engine, evs.reverse()).length, 2);
});

test('event_count with a range (gt and lte) judges the whole window', () => {
  const engine = engineOf([failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 1m\ncondition:\n    gt: 1\n    lte: 2`)].join('---\n'));
  // alice 2 in window -> fires; bob 4 in window -> the window is too full, no alert
  const alerts = run(engine, [logon(4625, 0, 'alice'), logon(4625, 5, 'alice'), ...[0, 1, 2, 3].map((t) => logon(4625, t, 'bob'))]);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.details!.groupBy, { TargetUserName: 'alice' });
});

test('value_count: distinct values of a field per group', () => {
  const engine = engineOf(
    [failedLogon, corr(`type: value_count\nrules:\n    - failed_logon\ngroup-by:\n    - IpAddress\ntimespan: 5m\ncondition:\n    field: TargetUserName\n    gte: 3`)].join('---\n'),
  );
  // 10.0.0.1 tries a, b, a, c (3 distinct) -> alert; 10.0.0.2 tries x four times -> 1 distinct, none
  const alerts = run(engine, [
    logon(4625, 0, 'a', { IpAddress: '10.0.0.1' }), logon(4625, 10, 'b', { IpAddress: '10.0.0.1' }),
    logon(4625, 20, 'a', { IpAddress: '10.0.0.1' }), logon(4625, 30, 'c', { IpAddress: '10.0.0.1' }),
    ...[0, 1, 2, 3].map((t) => logon(4625, t, 'x', { IpAddress: '10.0.0.2' })),
  ]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.details!.measured, 3);
  assert.deepEqual(alerts[0]!.details!.groupBy, { IpAddress: '10.0.0.1' });
});

test('value_sum: numeric values add up per group', () => {
  const r = rule(`selection:\n    EventID: 3\ncondition: selection`, { name: 'conn', logsource: 'product: windows\nservice: sysmon' });
  const engine = engineOf([r, corr(`type: value_sum\nrules:\n    - conn\ngroup-by:\n    - Image\ntimespan: 1h\ncondition:\n    field: Bytes\n    gte: 1000`)].join('---\n'));
  const ev = (sec: number, img: string, bytes: number) => ({ Channel: SYSMON, EventID: 3, '@t': s(sec), Image: img, Bytes: bytes });
  // a.exe: 400 + 700 = 1100 >= 1000 -> alert; b.exe: 999 -> none
  const alerts = run(engine, [ev(0, 'a.exe', 400), ev(10, 'b.exe', 999), ev(20, 'a.exe', 700)]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.details!.measured, 1100);
});

test('temporal: all referenced rules within the timespan, any order', () => {
  const engine = engineOf(
    [failedLogon, successLogon, corr(`type: temporal\nrules:\n    - failed_logon\n    - successful_logon\ngroup-by:\n    - TargetUserName\ntimespan: 30s`)].join('---\n'),
  );
  assert.equal(run(engine, [logon(4625, 0, 'alice'), logon(4624, 10, 'alice')]).length, 1);
  assert.equal(run(engine, [logon(4624, 0, 'alice'), logon(4625, 10, 'alice')]).length, 1, 'order does not matter');
  assert.equal(run(engine, [logon(4625, 0, 'alice'), logon(4624, 40, 'alice')]).length, 0, 'too far apart');
  assert.equal(run(engine, [logon(4625, 0, 'alice'), logon(4624, 10, 'bob')]).length, 0, 'different groups');
  assert.equal(run(engine, [logon(4625, 0, 'alice'), logon(4625, 5, 'alice')]).length, 0, 'one rule twice is not both');
});

test('temporal_ordered: the rules must fire in the listed order', () => {
  const engine = engineOf(
    [failedLogon, successLogon, corr(`type: temporal_ordered\nrules:\n    - failed_logon\n    - successful_logon\ngroup-by:\n    - TargetUserName\ntimespan: 30s`)].join('---\n'),
  );
  assert.equal(run(engine, [logon(4625, 0, 'alice'), logon(4624, 10, 'alice')]).length, 1);
  assert.equal(run(engine, [logon(4624, 0, 'alice'), logon(4625, 10, 'alice')]).length, 0);
  assert.equal(run(engine, [logon(4624, 0, 'alice'), logon(4625, 10, 'alice'), logon(4624, 20, 'alice')]).length, 1);
});

test('aliases group on differently named fields of each rule', () => {
  const a = rule(`selection:\n    EventID: 3\ncondition: selection`, { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'outbound', logsource: 'product: windows\nservice: sysmon' });
  const b = rule(`selection:\n    EventID: 22\ncondition: selection`, { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'lookup', logsource: 'product: windows\nservice: sysmon' });
  const c = corr(
    `type: temporal\nrules:\n    - lookup\n    - outbound\ngroup-by:\n    - ip\ntimespan: 10s\naliases:\n    ip:\n        outbound: DestinationIp\n        lookup: QueryResults`,
  );
  const engine = engineOf([a, b, c].join('---\n'));
  assert.deepEqual(engine.failures, []);
  const dns = { Channel: SYSMON, EventID: 22, '@t': s(0), QueryResults: '1.2.3.4' };
  const net = { Channel: SYSMON, EventID: 3, '@t': s(2), DestinationIp: '1.2.3.4' };
  assert.equal(run(engine, [dns, net]).length, 1);
  assert.equal(run(engine, [dns, { ...net, DestinationIp: '5.6.7.8' }]).length, 0);
});

test('generate: true keeps the base rules alerting too', () => {
  const engine = engineOf(
    [failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 1m\ncondition:\n    gte: 2\ngenerate: true`)].join('---\n'),
  );
  const alerts = run(engine, [logon(4625, 0, 'alice'), logon(4625, 1, 'alice')]);
  assert.deepEqual(alerts.map((a) => a.title).sort(), ['Correlation', 'Failed logon', 'Failed logon']);
});

test('correlations chain: many failures followed by a success (the specification example)', () => {
  const many = `title: Many failed logons\nid: 44444444-4444-4444-8444-444444444444\nname: many_failed\ncorrelation:\n    type: event_count\n    rules:\n        - failed_logon\n    group-by:\n        - TargetUserName\n    timespan: 1m\n    condition:\n        gte: 3\n`;
  const chain = corr(`type: temporal_ordered\nrules:\n    - many_failed\n    - successful_logon\ngroup-by:\n    - TargetUserName\ntimespan: 5m`);
  const engine = engineOf([failedLogon, successLogon, many, chain].join('---\n'));
  assert.deepEqual(engine.failures, []);
  const alerts = run(engine, [logon(4625, 0, 'alice'), logon(4625, 5, 'alice'), logon(4625, 10, 'alice'), logon(4624, 60, 'alice')]);
  assert.deepEqual(alerts.map((a) => a.title), ['Correlation']);
  assert.equal(alerts[0]!.count, 4);
  // success first, then failures: no chain alert
  assert.equal(run(engine, [logon(4624, 0, 'alice'), logon(4625, 5, 'alice'), logon(4625, 6, 'alice'), logon(4625, 7, 'alice')]).length, 0);
});

test('correlation errors: unknown rule, bad timespan, missing condition', () => {
  assert.match(engineOf(corr(`type: event_count\nrules:\n    - nowhere\ngroup-by:\n    - X\ntimespan: 1m\ncondition:\n    gte: 2`)).failures[0]!.reason, /'nowhere' is not loaded/);
  assert.match(engineOf([failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ntimespan: 1 hour\ncondition:\n    gte: 2`)].join('---\n')).failures[0]!.reason, /timespan/);
  assert.match(engineOf([failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ntimespan: 1h`)].join('---\n')).failures[0]!.reason, /needs a condition/);
  assert.match(engineOf([failedLogon, corr(`type: value_count\nrules:\n    - failed_logon\ntimespan: 1h\ncondition:\n    gte: 2`)].join('---\n')).failures[0]!.reason, /needs 'field'/);
});

test('value_avg, value_min, value_max, value_median, value_percentile over a numeric field', () => {
  const r = rule(`selection:\n    EventID: 3\ncondition: selection`, { name: 'conn', logsource: 'product: windows\nservice: sysmon' });
  const ev = (sec: number, bytes: number) => ({ Channel: SYSMON, EventID: 3, '@t': s(sec), Image: 'a.exe', Bytes: String(bytes) });
  const events = [ev(0, 1), ev(1, 9), ev(2, 5)]; // sorted 1, 5, 9: avg 5, min 1, max 9, median 5
  const fire = (type: string, cond: string) =>
    run(engineOf([r, corr(`type: ${type}\nrules:\n    - conn\ngroup-by:\n    - Image\ntimespan: 1h\ncondition:\n    field: Bytes\n${cond}`)].join('---\n')), events).length;
  // the windows grow one event at a time, so each type is checked where its value is known:
  // avg: [1] = 1 no; [1, 9] = 5 yes (alert, start afresh); [5] = 5 yes: two alerts
  assert.equal(fire('value_avg', '    gte: 5'), 2);
  assert.equal(fire('value_avg', '    gt: 5'), 0); // 1, then 5, then 5: never above 5
  assert.equal(fire('value_min', '    lte: 1'), 1); // [1] yes; then [9], [9, 5]: min 9, 5
  assert.equal(fire('value_max', '    gte: 9'), 1); // [1] no, [1, 9] yes; then [5] no
  assert.equal(fire('value_max', '    gt: 9'), 0);
  // median of the whole window [1, 9, 5] = 5 (eq is an upper bound: whole windows are judged)
  assert.equal(fire('value_median', '    eq: 5'), 1);
  assert.equal(fire('value_median', '    eq: 9'), 0);
  // 95th percentile of [1, 5, 9]: rank ceil(0.95 * 3) = 3 -> 9
  assert.equal(fire('value_percentile', '    eq: 9'), 1);
  assert.equal(fire('value_percentile', '    percentile: 50\n    eq: 5'), 1); // rank ceil(1.5) = 2 -> 5
});

test('event_count lt: a whole window with too few events', () => {
  const engine = engineOf([failedLogon, corr(`type: event_count\nrules:\n    - failed_logon\ngroup-by:\n    - TargetUserName\ntimespan: 1m\ncondition:\n    lt: 2`)].join('---\n'));
  // alice: one failure in her minute -> alert; bob: two within a minute -> none
  const alerts = run(engine, [logon(4625, 0, 'alice'), logon(4625, 0, 'bob'), logon(4625, 30, 'bob')]);
  assert.deepEqual(alerts.map((a) => a.details!.groupBy), [{ TargetUserName: 'alice' }]);
});
