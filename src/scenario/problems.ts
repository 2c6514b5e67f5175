/**
 * Turns zod issues and YAML errors into problems: one line each, naming the
 * field path and the rule (`nodes.count: must be an integer >= 1`).
 */
import type { z } from 'zod';
import { formatPath } from './paths.js';

export interface Problem {
  /** Field path as written in messages, e.g. `faults[0].at`. */
  path: string;
  /** Raw path segments, for locating the field in the YAML source. */
  segments: PropertyKey[];
  message: string;
  /** 1-based line in the source file, when known. */
  line?: number;
}

function messageFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_union':
      if ('note' in issue && issue.note === 'No matching discriminator' && 'options' in issue) {
        return `must be one of ${(issue.options as unknown[]).map(String).join(', ')}`;
      }
      return issue.message;
    case 'invalid_value':
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}`;
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      if (issue.message.endsWith('received undefined')) return 'is required';
      if (issue.message.startsWith('Invalid input: expected')) return `must be ${issue.expected === 'object' ? 'a mapping (key: value)' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
      return issue.message;
    case 'too_small':
      if (issue.origin === 'array' && issue.message.startsWith('Too small')) return `must list at least ${String(issue.minimum)} item(s)`;
      if (issue.origin === 'string' && issue.message.startsWith('Too small')) return 'must not be empty';
      return issue.message;
    case 'too_big':
      if (issue.origin === 'array' && issue.message.startsWith('Too big')) return `must list at most ${String(issue.maximum)} item(s)`;
      return issue.message;
    default:
      return issue.message;
  }
}

export function problemsFromZod(error: z.ZodError, prefix: readonly PropertyKey[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const base = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: formatPath([...base, key]), segments: [...base, key], message: 'unknown field' });
      continue;
    }
    out.push({ path: formatPath(base), segments: base, message: messageFor(issue) });
  }
  return dedupe(out);
}

/** One line per (path, message): zod can report the same rule twice for one value. */
export function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function formatProblem(p: Problem, file?: string): string {
  const where = file === undefined ? '' : p.line === undefined ? `${file}: ` : `${file}:${p.line}: `;
  return `${where}${p.path}: ${p.message}`;
}

/** Thrown by the loaders; `message` is every problem, one line each. */
export class ScenarioError extends Error {
  readonly problems: readonly Problem[];
  readonly file: string | undefined;
  constructor(problems: readonly Problem[], file?: string) {
    super(problems.map((p) => formatProblem(p, file)).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
    this.file = file;
  }
}
