/**
 * The two trees a comparison measures: base (a ref, built in a temporary
 * worktree) and head (this checkout as built, or a ref given with --head).
 */
import { buildRef, describeTree, thisCheckout, workingTree, type CodeTree } from './git-ref.js';

export interface Trees {
  base: CodeTree;
  head: CodeTree;
}

export function headTree(headRef: string | undefined, log: (line: string) => void): CodeTree {
  const repo = thisCheckout();
  return headRef === undefined ? workingTree(repo, 'head') : buildRef(repo, headRef, { label: 'head', log });
}

export function buildTrees(baseRef: string, headRef: string | undefined, log: (line: string) => void): Trees {
  const head = headTree(headRef, log);
  const base = buildRef(thisCheckout(), baseRef, { label: 'base', log });
  log(`bench: ${describeTree(base)}; ${describeTree(head)}`);
  return { base, head };
}
