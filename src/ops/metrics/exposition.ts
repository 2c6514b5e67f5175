/**
 * A reader of the Prometheus text exposition format (version 0.0.4), for
 * tools that look at one /metrics page without a Prometheus: tests, and the
 * harness reading a node's final counters. It reads what prom-client writes
 * (HELP, TYPE, samples with labels, +Inf/NaN) and rejects anything else with
 * the line number, rather than guessing.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** Metric family name -> declared type. */
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

function parseValue(text: string): number {
  // Case-insensitive, as Prometheus reads them (prom-client writes "Nan").
  const lower = text.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  const v = Number(text);
  if (text.trim() === '' || Number.isNaN(v)) throw new Error(`not a number: "${text}"`);
  return v;
}

function unescape(value: string): string {
  return value.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string, lineNo: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // after '{'
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const m = NAME.exec(text.slice(i));
    if (m === null) throw new Error(`line ${lineNo}: bad label name`);
    const key = m[0];
    i += key.length;
    if (text[i] !== '=' || text[i + 1] !== '"') throw new Error(`line ${lineNo}: label ${key} must be key="value"`);
    i += 2;
    let j = i;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) throw new Error(`line ${lineNo}: unterminated value of label ${key}`);
    labels[key] = unescape(text.slice(i, j));
    i = j + 1;
  }
}

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)\s?(.*)$/.exec(line);
      if (m === null) return; // a plain comment
      const [, what, name = '', rest = ''] = m;
      (what === 'TYPE' ? types : help).set(name, rest);
      return;
    }
    const m = NAME.exec(line);
    if (m === null) throw new Error(`line ${lineNo}: expected a metric name`);
    const name = m[0];
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, lineNo));
    const [valueText = '', timestamp] = rest.trim().split(/\s+/);
    if (timestamp !== undefined && !/^-?[0-9]+$/.test(timestamp)) throw new Error(`line ${lineNo}: bad timestamp "${timestamp}"`);
    try {
      samples.push({ name, labels, value: parseValue(valueText) });
    } catch (e) {
      throw new Error(`line ${lineNo}: ${(e as Error).message}`, { cause: e });
    }
  });
  return { samples, types, help };
}

/** The one sample of `name` whose labels include `match`; throws when there is none or several. */
export function sampleValue(exp: Exposition, name: string, match: Readonly<Record<string, string>> = {}): number {
  const found = exp.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${name}${JSON.stringify(match)}: ${found.length} samples`);
  return (found[0] as Sample).value;
}
