import { createTwoFilesPatch } from 'diff';
import type pc from 'picocolors';

type Colors = ReturnType<typeof pc.createColors>;
import type { FileResult } from '../runner.js';

/** A git-style unified diff of one changed file (`a/` and `b/` prefixes, so `git apply` takes it). */
export function unifiedDiff(file: FileResult, colors: Colors): string {
  const patch = createTwoFilesPatch(`a/${file.file}`, `b/${file.file}`, file.before ?? '', file.after ?? '', undefined, undefined, { context: 3 });
  return patch
    .split('\n')
    .filter((line) => !/^={10,}$/.test(line)) // the package's separator line is not part of a unified diff
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return colors.bold(line);
      if (line.startsWith('+')) return colors.green(line);
      if (line.startsWith('-')) return colors.red(line);
      if (line.startsWith('@@')) return colors.cyan(line);
      return line;
    })
    .join('\n');
}
