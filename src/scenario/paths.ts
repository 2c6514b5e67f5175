/** Field paths such as `workload.phases[0].rateTps` (or `workload.phases.0.rateTps`). */

export type PathSegment = string | number;

const MAX_PATH_SEGMENTS = 32;

/**
 * Keys that name JavaScript's object machinery, not a field: assigning
 * `obj.__proto__` replaces the prototype (the override would vanish) and
 * `constructor` / `prototype` are never scenario fields. Refused by name.
 */
export const RESERVED_SEGMENTS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The first reserved key of a path, as a message, or null. */
export function reservedSegmentProblem(path: readonly PathSegment[]): string | null {
  const bad = path.find((seg): seg is string => typeof seg === 'string' && RESERVED_SEGMENTS.includes(seg));
  return bad === undefined ? null : `"${bad}" is not a field name (${RESERVED_SEGMENTS.join(', ')} are refused in paths)`;
}

/**
 * Where a path would index past the end of a list in `root`, as a message:
 * `workload.phases[5]` on a one-phase file has no item 5. An index equal to
 * the length appends, which is allowed only when the path ends there (the
 * whole new item is given); anything deeper would build an item from one field.
 */
export function missingIndexProblem(root: unknown, path: readonly PathSegment[]): string | null {
  let node: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as PathSegment;
    if (typeof seg === 'number') {
      const list = Array.isArray(node) ? (node as unknown[]) : [];
      const last = i === path.length - 1;
      if (seg > list.length || (seg === list.length && !last)) {
        const where = formatPath(path.slice(0, i));
        const have = list.length === 0 ? 'has no items' : `has ${list.length} item(s), index 0 to ${list.length - 1}`;
        const append = seg === list.length ? ` (to add item ${seg}, set it whole: ${formatPath(path.slice(0, i + 1))}={...})` : last ? ` (index ${list.length} would add an item)` : '';
        return `index ${seg} does not exist: ${where} ${have}${append}`;
      }
      node = list[seg];
    } else {
      node = node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, seg) ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return null;
}

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
  // The loaders refuse these with a message first; this keeps any other caller from touching a prototype.
  if (typeof head === 'string' && RESERVED_SEGMENTS.includes(head)) throw new RangeError(reservedSegmentProblem([head]) ?? head);
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as unknown[])] : [];
    arr[head] = setIn(arr[head], rest, value);
    return arr;
  }
  const obj = root !== null && typeof root === 'object' && !Array.isArray(root) ? { ...(root as Record<string, unknown>) } : {};
  obj[head] = setIn(Object.hasOwn(obj, head) ? obj[head] : undefined, rest, value);
  return obj;
}
