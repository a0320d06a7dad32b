import type { PromClientWorker } from '@cluster/supervisor';
import { parsePrometheusText } from '@cluster/test-utils';
import { describe, expect, it } from 'vitest';
import { renderExposition } from '../src/exposition.ts';
import { aggregatePromClient } from '../src/prom-aggregate.ts';

describe('renderExposition', () => {
  it('writes HELP and TYPE once per family, escapes label values and help, and leaves out invalid names', () => {
    const text = renderExposition([
      { name: 'a_total', type: 'counter', help: 'A\\B\nC', samples: [{ labels: { path: 'x"y\\z\n' }, value: 3 }] },
      { name: 'bad-name', type: 'gauge', help: 'no', samples: [{ value: 1 }] },
      { name: 'g', type: 'gauge', help: 'G', samples: [{ value: Number.POSITIVE_INFINITY }] },
    ]);
    expect(text).toBe(
      '# HELP a_total A\\\\B\\nC\n# TYPE a_total counter\na_total{path="x\\"y\\\\z\\n"} 3\n# HELP g G\n# TYPE g gauge\ng +Inf\n',
    );
    expect(parsePrometheusText(text).get('a_total')?.samples[0]?.labels.path).toBe('x"y\\z\n');
  });
});

describe('aggregatePromClient', () => {
  const worker = (slot: number, value: number, up = true): PromClientWorker => ({
    slot,
    pid: 100 + slot,
    up,
    metrics: [
      { name: 'c_total', help: 'c', type: 'counter', values: [{ value, labels: { a: '1' } }] },
      { name: 'g', help: 'g', type: 'gauge', aggregator: 'max', values: [{ value: value * 10, labels: {} }] },
      { name: 'o', help: 'o', type: 'gauge', aggregator: 'omit', values: [{ value: 1, labels: {} }] },
      {
        name: 'h',
        help: 'h',
        type: 'histogram',
        values: [
          { value, labels: { le: '1' }, metricName: 'h_bucket' },
          { value, labels: { le: '+Inf' }, metricName: 'h_bucket' },
          { value: value / 2, labels: {} as Record<string, string>, metricName: 'h_sum' },
          { value, labels: {} as Record<string, string>, metricName: 'h_count' },
        ],
      },
    ],
  });

  it('sums counters and histograms by label set, follows each aggregator, and leaves out workers that did not answer', () => {
    const families = aggregatePromClient([worker(0, 2), worker(1, 3), worker(2, 100, false)], new Set(['reserved']));
    const text = renderExposition(families);
    const parsed = parsePrometheusText(text);
    expect(parsed.get('c_total')?.samples).toEqual([{ name: 'c_total', labels: { a: '1' }, value: 5 }]);
    expect(parsed.get('g')?.samples[0]?.value).toBe(30);
    expect(parsed.has('o')).toBe(false);
    expect(parsed.get('h')?.samples.map((sample) => [sample.name, sample.value])).toEqual([
      ['h_bucket', 5],
      ['h_bucket', 5],
      ['h_sum', 2.5],
      ['h_count', 5],
    ]);
  });

  it('skips a metric whose name the cluster uses itself', () => {
    const families = aggregatePromClient([worker(0, 1)], new Set(['c_total']));
    expect(families.map((family) => family.name)).toEqual(['g', 'h']);
  });
});
