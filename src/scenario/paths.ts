/** Field paths such as `workload.phases[0].rateTps` (or `workload.phases.0.rateTps`). */

export type PathSegment = string | number;

const MAX_PATH_SEGMENTS = 32;

/** Splits a field path into keys and array indices; returns null for a malformed path. */
export function parsePath(text: string): PathSegment[] | null {
  if (text.length === 0 || text.length > 300) return null;
  const out: PathSegment[] = [];
  for (const part of text.split('.')) {
    const m = /^([A-Za-z_][A-Za-z0-9_-]*)?((?:\[[0-9]+\])*)$/.exec(part);
    if (m === null) {
      if (/^[0-9]+$/.test(part)) { out.push(Number(part)); continue; }
      return null;
    }
    const [, key, indices = ''] = m;
    if (key === undefined && indices === '') return null;
    if (key !== undefined) out.push(key);
    for (const idx of indices.matchAll(/\[([0-9]+)\]/g)) out.push(Number(idx[1]));
  }
  return out.length > MAX_PATH_SEGMENTS ? null : out;
}

/** `['faults', 0, 'at']` -> `faults[0].at`; keys that are not identifiers are quoted: `sweep["nodes.count"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * A copy of `root` with `value` at `path`, creating objects (or arrays, for
 * numeric segments) on the way. Only the containers along the path are copied.
 */
export function setIn(root: unknown, path: readonly PathSegment[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    arr[head] = setIn(arr[head], rest, value);
    return arr;
  }
  const obj = root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  obj[head] = setIn(obj[head], rest, value);
  return obj;
}
