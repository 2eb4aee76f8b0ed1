import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClassifyOptions } from '../engine/classifier.js';
import type { StsEvent } from '../engine/event/events.js';
import { eventLoopMetrics } from './event-loop-metrics.js';
import type { ServedClassifier } from './served-classifier.js';

/**
 * Prometheus metrics of one app (its own registry, so apps in tests do not share counters);
 * with `eventLoop`, the event loop's pauses and delay too (a server process's: stop() ends them).
 */
export function createMetrics(modelCount: () => number, { eventLoop = false }: { eventLoop?: boolean } = {}) {
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
  const loop = eventLoop ? eventLoopMetrics(registry) : undefined;
  return { registry, requests, classifySeconds, events, stop: () => loop?.stop() };
}
export type Metrics = ReturnType<typeof createMetrics>;

/** Classifies with a model and counts the event and its time: what every classify route does. */
export async function classifyCounted(
  metrics: Metrics,
  classifier: ServedClassifier,
  text: string,
  options: ClassifyOptions,
): Promise<StsEvent> {
  return counted(metrics, await classifier.classify(text, options));
}

/** Counts an event the server answered, classified or not (a request whose time ran out first). */
export function counted(metrics: Metrics, event: StsEvent): StsEvent {
  metrics.classifySeconds.observe(event.elapsedMs / 1000);
  metrics.events.inc({ event: event.event });
  return event;
}

/** What the model registry reports on each scrape. */
export interface ModelGauges {
  stored: number;
  loaded: number;
  memoryBytes: number;
  budgetBytes: number;
  /** 1 while the store can be reached, 0 while not; undefined without a store. */
  storeUp?: number;
}

/**
 * The model registry's metrics: loads (and failed loads) from the store, their time, evictions
 * from the memory budget, and on each scrape the models stored and loaded, the memory they are
 * counted as, the budget, and whether the store is up. A registry of their own, merged into the
 * app's by createApp.
 */
export function createModelMetrics(gauges: () => ModelGauges) {
  const registry = new Registry();
  const loads = new Counter({
    name: 'sts_model_loads_total',
    help: 'Loads of a model from the store into memory, by outcome: ok, not_found (no such model), error (damaged, over the budget, store down)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const loadSeconds = new Histogram({
    name: 'sts_model_load_seconds',
    help: 'Time to load one model from the store (read, validate, prepare), in seconds',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const evictions = new Counter({
    name: 'sts_model_evictions_total',
    help: 'Models dropped from memory to keep under the model memory budget (STS_MODEL_MEMORY_MB)',
    registers: [registry],
  });
  const gauge = (name: string, help: string, read: (g: ModelGauges) => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read(gauges());
        if (value !== undefined) this.set(value);
      },
    });
  gauge('sts_models_stored', 'Models the store holds (all of them can be served)', (g) => g.stored);
  gauge('sts_models_loaded', 'Models in memory', (g) => g.loaded);
  gauge('sts_model_memory_bytes', 'Memory the models loaded from the store are counted as (file size × MEMORY_PER_FILE_BYTE)', (g) => g.memoryBytes);
  gauge('sts_model_memory_budget_bytes', 'The model memory budget (STS_MODEL_MEMORY_MB)', (g) => g.budgetBytes);
  gauge('sts_store_up', '1 while the model store can be reached, 0 while not', (g) => g.storeUp);
  return { registry, loads, loadSeconds, evictions };
}
export type ModelMetrics = ReturnType<typeof createModelMetrics>;
