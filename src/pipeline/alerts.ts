/**
 * Alerts in the graph: each alert becomes an Alert node with an `alerted_on` edge to every
 * entity it is about, so an analyst walking the graph meets the detections where they apply.
 */
import type { Alert } from '../detect/types.js';
import type { GraphBuilder } from '../graph/builder.js';

export function linkAlert(graph: GraphBuilder, a: Alert): void {
  if (!a.entities?.length) return;
  graph.linkAt(a.time, a.events[0]?.id ?? a.id, () => {
    const node = graph.alertNode(a.id, a.title, { rule_id: a.ruleId, detector: a.detector, level: a.level, techniques: a.techniques, host: a.host });
    for (const target of a.entities!) graph.link('alerted_on', node, target, { level: a.level, rule_id: a.ruleId });
  });
}
