/**
 * A strict reader of Prometheus's text exposition format (https://prometheus.io/docs/instrumenting/exposition_formats/),
 * enough for tests: every line is a `# HELP`, a `# TYPE` or a sample `name{label="value",…} number`; a sample's
 * metric must have been typed before it (a histogram's `_bucket`, `_sum`, `_count` belong to it). Throws on anything
 * else.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Parses a scrape into its samples; throws naming the first line that is not valid. */
export function parsePrometheusText(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1}: ${line}`;
    if (line === '') return;
    if (line.startsWith('# HELP ')) {
      if (!new RegExp(`^# HELP ${NAME} `).test(line)) throw new Error(`bad HELP, ${where}`);
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      if (name === undefined || type === undefined || !TYPES.has(type)) throw new Error(`bad TYPE, ${where}`);
      types.set(name, type);
      return;
    }
    if (line.startsWith('#')) return;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`not a sample, ${where}`);
    const [, name, labelText, valueText] = match;
    const family = types.has(name!) ? name! : name!.replace(/_(bucket|sum|count|total|created)$/, '');
    if (!types.has(family) && !types.has(name!)) throw new Error(`sample before its TYPE, ${where}`);
    const labels: Record<string, string> = {};
    if (labelText !== undefined && labelText !== '') {
      LABEL.lastIndex = 0;
      let consumed = 0;
      for (let m = LABEL.exec(labelText); m !== null; m = LABEL.exec(labelText)) {
        labels[m[1]!] = m[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
        consumed = LABEL.lastIndex;
      }
      if (consumed !== labelText.length) throw new Error(`bad labels, ${where}`);
    }
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    // Prometheus reads NaN in any case (Go's ParseFloat); prom-client writes `Nan`.
    if (Number.isNaN(value) && !/^nan$/i.test(valueText!)) throw new Error(`bad value, ${where}`);
    samples.push({ name: name!, labels, value });
  });
  return samples;
}

/** The value of the one sample with this name whose labels include `labels`; undefined when none. */
export function valueOf(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
