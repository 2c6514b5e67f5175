/**
 * File-system errors in words. Node's messages (`ENOTDIR: not a directory,
 * scandir '/x'`) name the syscall and the errno; a user needs the path and
 * the cause (`/x: is a file, not a directory`).
 */

const CAUSES: Record<string, string> = {
  ENOENT: 'does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'is on a read-only file system',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory, not a file',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'input/output error on the device',
  EBUSY: 'the device or file is busy',
  EXDEV: 'is on another file system',
  ENOTEMPTY: 'is not empty',
  EINVAL: 'the file system refused the operation (invalid argument)',
};

/** A Node file-system error (it carries an errno code and, usually, the path). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code ?? '') && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/** The cause of an errno code in words (`EROFS` -> `is on a read-only file system`). */
export function causeInWords(code: string): string {
  return CAUSES[code] ?? `failed (${code})`;
}

/** `PATH: cause` for a file-system error, naming the path the error names (or `fallbackPath`). */
export function describeFsError(e: NodeJS.ErrnoException, fallbackPath?: string): string {
  const path = e.path ?? fallbackPath;
  const cause = causeInWords(e.code ?? '');
  return path === undefined ? cause : `${path}: ${cause}`;
}

/** An I/O problem the user can fix (a path that cannot be read or written): exit code 2, one line. */
export class IoProblem extends Error {
  override readonly name = 'IoProblem';
}
