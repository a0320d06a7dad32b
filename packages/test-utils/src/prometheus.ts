/**
 * A strict reader of Prometheus' text exposition format 0.0.4, for tests: every line must be a HELP or
 * TYPE comment, another comment, blank, or a sample; a family's HELP and TYPE come once and before its
 * samples; sample names belong to the family declared above them (with `_bucket`, `_sum`, `_count` for
 * histograms and summaries); label names and values are well formed; values are numbers. Throws on the
 * first line that is not, naming it.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`not a number in: ${line}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let at = 0;
  while (at < text.length) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(at));
    if (match === null) throw new Error(`bad label in: ${line}`);
    const name = match[1] as string;
    at += match[0].length;
    let value = '';
    for (;;) {
      const char = text[at];
      if (char === undefined) throw new Error(`unterminated label value in: ${line}`);
      at += 1;
      if (char === '"') break;
      if (char === '\\') {
        const next = text[at];
        at += 1;
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in: ${line}`);
      } else value += char;
    }
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name] = value;
    if (text[at] === ',') at += 1;
    else if (at !== text.length) throw new Error(`bad label list in: ${line}`);
  }
  return labels;
}

/** Parses exposition text into families, in order; throws on anything the format does not allow. */
export function parsePrometheusText(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  if (text !== '' && !text.endsWith('\n')) throw new Error('the text does not end with a newline');
  let current: ParsedFamily | undefined;
  const family = (name: string) => {
    let entry = families.get(name);
    if (entry === undefined) {
      entry = { name, help: '', type: 'untyped', samples: [] };
      families.set(name, entry);
    }
    return entry;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (match === null) continue;
      const [, kind, name, rest] = match as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      const entry = family(name);
      if (entry.samples.length > 0) throw new Error(`${kind} after samples of ${name}`);
      if (kind === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`bad type in: ${line}`);
        if (entry.type !== 'untyped' && entry.type !== rest) throw new Error(`second TYPE for ${name}`);
        entry.type = rest;
      } else {
        if (entry.help !== '') throw new Error(`second HELP for ${name}`);
        entry.help = rest;
      }
      current = entry;
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (match === null) throw new Error(`not a sample: ${line}`);
    const [, name, , labelText, valueText] = match as unknown as [string, string, string, string | undefined, string];
    const suffixes =
      current?.type === 'histogram'
        ? ['_bucket', '_sum', '_count']
        : current?.type === 'summary'
          ? ['', '_sum', '_count']
          : [''];
    const owner =
      current !== undefined && suffixes.some((suffix) => `${current?.name}${suffix}` === name) ? current : family(name);
    if (owner !== current) current = owner;
    owner.samples.push({ name, labels: parseLabels(labelText ?? '', line), value: parseValue(valueText, line) });
  }
  for (const entry of families.values()) {
    const seen = new Set<string>();
    for (const sample of entry.samples) {
      const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
      if (seen.has(key)) throw new Error(`duplicate series ${key}`);
      seen.add(key);
    }
  }
  return families;
}

/** The value of the one sample of `family` whose labels include `labels`; throws if there is not exactly one. */
export function sampleValue(
  families: Map<string, ParsedFamily>,
  family: string,
  labels: Record<string, string> = {},
): number {
  const matching = (families.get(family)?.samples ?? []).filter((sample) =>
    Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (matching.length !== 1) throw new Error(`${matching.length} samples of ${family} ${JSON.stringify(labels)}`);
  return (matching[0] as ParsedSample).value;
}
