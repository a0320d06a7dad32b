import type { PromClientWorker, PromMetricJson } from '@cluster/supervisor';
import type { Labels, MetricFamily, MetricType, Sample } from './exposition.ts';

type Aggregator = 'sum' | 'first' | 'min' | 'max' | 'average' | 'omit';
const AGGREGATORS = new Set<string>(['sum', 'first', 'min', 'max', 'average', 'omit']);

interface Bucket {
  name: string | undefined;
  labels: Labels;
  values: number[];
}

const keyOf = (name: string | undefined, labels: Labels) =>
  `${name ?? ''}\u0000${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;

function combine(aggregator: Aggregator, values: readonly number[]): number {
  switch (aggregator) {
    case 'first':
      return values[0] ?? 0;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    default:
      return values.reduce((a, b) => a + b, 0);
  }
}

/**
 * Merges the prom-client registries of the workers that answered into one set of families, the way
 * prom-client's own cluster aggregation does: each metric's values are combined across workers by label
 * set with the metric's `aggregator` (`sum` when it names none: counters and histogram buckets add up;
 * `first`, `min`, `max`, `average`; `omit` leaves the metric out). Workers that did not answer are left
 * out (`cluster_worker_metrics_up` says which). Names in `reserved` (ours) are skipped.
 */
export function aggregatePromClient(
  workers: readonly PromClientWorker[],
  reserved: ReadonlySet<string>,
): MetricFamily[] {
  const families = new Map<
    string,
    { help: string; type: MetricType; aggregator: Aggregator; buckets: Map<string, Bucket> }
  >();
  for (const worker of workers) {
    if (!worker.up || worker.metrics === null) continue;
    for (const metric of worker.metrics as readonly PromMetricJson[]) {
      if (typeof metric?.name !== 'string' || reserved.has(metric.name) || !Array.isArray(metric.values)) continue;
      let family = families.get(metric.name);
      if (family === undefined) {
        const aggregator = AGGREGATORS.has(metric.aggregator ?? '') ? (metric.aggregator as Aggregator) : 'sum';
        const type: MetricType = ['counter', 'gauge', 'histogram', 'summary'].includes(metric.type)
          ? metric.type
          : 'untyped';
        family = { help: String(metric.help ?? metric.name), type, aggregator, buckets: new Map() };
        families.set(metric.name, family);
      }
      for (const entry of metric.values) {
        if (typeof entry?.value !== 'number') continue;
        const labels = entry.labels ?? {};
        const key = keyOf(entry.metricName, labels);
        let bucket = family.buckets.get(key);
        if (bucket === undefined) {
          bucket = { name: entry.metricName, labels, values: [] };
          family.buckets.set(key, bucket);
        }
        bucket.values.push(entry.value);
      }
    }
  }
  const result: MetricFamily[] = [];
  for (const [name, family] of families) {
    if (family.aggregator === 'omit') continue;
    const samples: Sample[] = [...family.buckets.values()].map((bucket) => ({
      ...(bucket.name === undefined ? {} : { name: bucket.name }),
      labels: bucket.labels,
      value: combine(family.aggregator, bucket.values),
    }));
    result.push({ name, help: family.help, type: family.type, samples });
  }
  return result;
}
