import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Classifier, ClassifyOptions } from '../engine/classifier.js';
import type { StsEvent } from '../engine/event/events.js';

/** Prometheus metrics of one app (its own registry, so apps in tests do not share counters). */
export function createMetrics(modelCount: () => number) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'sts_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const classifySeconds = new Histogram({
    name: 'sts_classify_duration_seconds',
    help: 'Time to classify one text, in seconds',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 10],
    registers: [registry],
  });
  const events = new Counter({
    name: 'sts_events_total',
    help: 'Classification events by type (match, noMatch, lengthLimit, timeLimit)',
    labelNames: ['event'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'sts_models',
    help: 'Models loaded',
    registers: [registry],
    collect() {
      this.set(modelCount());
    },
  });
  return { registry, requests, classifySeconds, events };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Classifies with a model and counts the event and its time: what every classify route does. */
export async function classifyCounted(
  metrics: Metrics,
  classifier: Classifier,
  text: string,
  options: ClassifyOptions,
): Promise<StsEvent> {
  const event = await classifier.classify(text, options);
  metrics.classifySeconds.observe(event.elapsedMs / 1000);
  metrics.events.inc({ event: event.event });
  return event;
}
