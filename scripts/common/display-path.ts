import * as path from 'node:path';

/** A path as the user would type it: relative to cwd when inside it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return (relative && !relative.startsWith('..') ? relative : path.resolve(file)).split(path.sep).join('/');
}
