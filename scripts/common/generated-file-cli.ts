/**
 * The one CLI of every generated file (the stage and pipeline JSON Schemas,
 * the configuration reference): write it, or with `--check` exit 1 when the
 * committed copy is missing or stale. An optional path argument writes or
 * checks another file (used by the tests).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

export interface GeneratedFile {
  /** The npm script that writes it, named in the usage and in the stale message. */
  readonly script: string;
  readonly defaultFile: string;
  /** The file's whole text: the same bytes on every run. */
  readonly render: () => string;
}

export function generatedFileCli(generated: GeneratedFile, argv: readonly string[]): number {
  const usage = `${generated.script} [--check] [file]   (file defaults to ${path.relative(process.cwd(), generated.defaultFile)})`;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { check: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    console.error(`Error: ${(error as Error).message.split('\n')[0]}. Usage: ${usage}`);
    return 1;
  }
  if (parsed.values.help) {
    console.log(`Usage: ${usage}`);
    return 0;
  }
  const file = path.resolve(parsed.positionals[0] ?? generated.defaultFile);
  const display = path.relative(process.cwd(), file) || file;
  const expected = generated.render();
  if (parsed.values.check === true) {
    const actual = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (actual === expected) return 0;
    console.error(`${display} is ${actual === undefined ? 'missing' : 'out of date'}; run \`npm run ${generated.script}\` and commit the result.`);
    return 1;
  }
  fs.writeFileSync(file, expected);
  console.log(`wrote ${display}`);
  return 0;
}
