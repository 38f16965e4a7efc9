import * as path from 'node:path';

const LAMBDA_DIR = path.join(__dirname, '..', '..', 'lambda');

/** `lambda/<file>.ts`, resolved from this repository whatever the working directory. */
export function handlerEntry(file: string): string {
  return path.join(LAMBDA_DIR, `${file}.ts`);
}
