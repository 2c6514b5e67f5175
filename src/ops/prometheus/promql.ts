/**
 * A small client of Prometheus's HTTP query API (/api/v1/query and
 * /api/v1/query_range): typed results, and a query error (bad expression,
 * timeout, server down) as a PromQLError naming the expression.
 */

export interface PromLabels {
  readonly [name: string]: string;
}

export interface VectorSample {
  readonly metric: PromLabels;
  /** [unix seconds, value] */
  readonly value: readonly [number, number];
}

export interface MatrixSeries {
  readonly metric: PromLabels;
  readonly values: ReadonlyArray<readonly [number, number]>;
}

export type QueryResult =
  | { readonly resultType: 'vector'; readonly result: readonly VectorSample[] }
  | { readonly resultType: 'matrix'; readonly result: readonly MatrixSeries[] }
  | { readonly resultType: 'scalar'; readonly result: readonly [number, number] }
  | { readonly resultType: 'string'; readonly result: readonly [number, string] };

export class PromQLError extends Error {
  override readonly name = 'PromQLError';
  constructor(
    readonly expr: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`promql "${expr}": ${errorType}: ${message}`);
  }
}

interface ApiResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
}

const toNumber = (v: unknown): number => (typeof v === 'string' ? Number(v) : Number.NaN);

function convert(data: { resultType: string; result: unknown }): QueryResult {
  const r = data.result as never;
  switch (data.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: (r as Array<{ metric: PromLabels; value: [number, string] }>).map((s) => ({ metric: s.metric, value: [s.value[0], toNumber(s.value[1])] as const })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: (r as Array<{ metric: PromLabels; values: Array<[number, string]> }>).map((s) => ({
          metric: s.metric,
          values: s.values.map(([t, v]) => [t, toNumber(v)] as const),
        })),
      };
    case 'scalar': {
      const [t, v] = r as [number, string];
      return { resultType: 'scalar', result: [t, toNumber(v)] };
    }
    default:
      return { resultType: 'string', result: r as [number, string] };
  }
}

export class PromQL {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call(path: string, expr: string, params: Record<string, string>): Promise<QueryResult> {
    const body = new URLSearchParams({ query: expr, ...params });
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { method: 'POST', body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new PromQLError(expr, 'unreachable', `${this.baseUrl}: ${(e as Error).message}`);
    }
    let json: ApiResponse;
    try {
      json = (await res.json()) as ApiResponse;
    } catch {
      throw new PromQLError(expr, 'bad_response', `HTTP ${res.status} without a JSON body`);
    }
    if (json.status !== 'success' || json.data === undefined) throw new PromQLError(expr, json.errorType ?? `http_${res.status}`, json.error ?? 'no data');
    return convert(json.data);
  }

  /** An instant query at `time` (unix seconds; default now). */
  query(expr: string, time?: number): Promise<QueryResult> {
    return this.call('/api/v1/query', expr, time === undefined ? {} : { time: String(time) });
  }

  /** A range query from `start` to `end` (unix seconds) every `stepSeconds`. */
  queryRange(expr: string, start: number, end: number, stepSeconds: number): Promise<QueryResult> {
    return this.call('/api/v1/query_range', expr, { start: String(start), end: String(end), step: String(stepSeconds) });
  }

  /** The single value of an instant query whose result is one sample or a scalar (e.g. `sum(...)`); undefined when empty. */
  async scalar(expr: string, time?: number): Promise<number | undefined> {
    const r = await this.query(expr, time);
    if (r.resultType === 'scalar') return r.result[1];
    if (r.resultType !== 'vector') throw new PromQLError(expr, 'unexpected_result', `a ${r.resultType}, not one value`);
    if (r.result.length === 0) return undefined;
    if (r.result.length > 1) throw new PromQLError(expr, 'unexpected_result', `${r.result.length} series, not one value`);
    return (r.result[0] as VectorSample).value[1];
  }

  /** Names of the targets Prometheus scrapes and whether each is up. */
  async targets(): Promise<Array<{ job: string; instance: string; health: string; lastError: string }>> {
    const res = await fetch(`${this.baseUrl}/api/v1/targets?state=active`, { signal: AbortSignal.timeout(this.timeoutMs) });
    const json = (await res.json()) as { data: { activeTargets: Array<{ labels: PromLabels; health: string; lastError: string }> } };
    return json.data.activeTargets.map((t) => ({ job: t.labels.job ?? '', instance: t.labels.instance ?? '', health: t.health, lastError: t.lastError }));
  }
}
