/** One-line, user-facing reasons for file-system errors: the code and what it means here, never a stack. */

const MEANINGS: Record<string, string> = {
  ENOENT: 'it vanished during the run',
  ENOTDIR: 'a folder on its path vanished or was replaced during the run',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is now a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ELOOP: 'too many symlinks on its path',
  ENAMETOOLONG: 'path too long',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
};

export function errorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `permission denied (EACCES)`; for errors without a code, the error's own message. */
export function describeFsError(e: unknown): string {
  const code = errorCode(e);
  if (!code) return (e as Error | undefined)?.message ?? String(e);
  const meaning = MEANINGS[code];
  return meaning ? `${meaning} (${code})` : code;
}
