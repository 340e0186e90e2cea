/**
 * Alerts in the graph: each alert becomes an Alert node with an `alerted_on` edge to every
 * entity it is about, so an analyst walking the graph meets the detections where they apply.
 */
import type { Alert } from '../detect/types.js';
import type { GraphBuilder } from '../graph/builder.js';

/**
 * Alerts raised outside any one event (network verdicts at the end of a run) name what they are
 * about in their details: the destination (`subject`, an address or a name) and the sources.
 */
function entitiesFromDetails(graph: GraphBuilder, a: Alert): string[] {
  const out: string[] = [];
  const d = a.details ?? {};
  const subject = typeof d.subject === 'string' ? d.subject : undefined;
  if (subject) {
    const id = graph.ipNode(subject) ?? graph.domainNode(subject);
    if (id) out.push(id);
  }
  if (Array.isArray(d.sources)) for (const s of d.sources.slice(0, 20)) if (typeof s === 'string') {
    const id = graph.ipNode(s);
    if (id) out.push(id);
  }
  return out;
}

export function linkAlert(graph: GraphBuilder, a: Alert): void {
  if (!a.entities?.length) graph.linkAt(a.time, a.events[0]?.id ?? a.id, () => (a.entities = entitiesFromDetails(graph, a)));
  if (!a.entities?.length) return;
  graph.linkAt(a.time, a.events[0]?.id ?? a.id, () => {
    const node = graph.alertNode(a.id, a.title, { rule_id: a.ruleId, detector: a.detector, level: a.level, techniques: a.techniques, host: a.host });
    for (const target of a.entities!) graph.link('alerted_on', node, target, { level: a.level, rule_id: a.ruleId });
  });
}
