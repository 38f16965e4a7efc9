/**
 * A JSON file in the local run's state folder that survives restarts: read
 * once, written whole (to a temporary file, then renamed) after each change,
 * so a killed run never leaves half a file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class JsonState<T> {
  private value: T;

  constructor(
    private readonly file: string,
    initial: () => T,
  ) {
    if (fs.existsSync(file)) {
      try {
        this.value = JSON.parse(fs.readFileSync(file, 'utf8')) as T;
      } catch (error) {
        throw new Error(`${file} is not valid JSON (${(error as Error).message}); run with --reset to start over.`);
      }
    } else {
      this.value = initial();
      this.save();
    }
  }

  get(): T {
    return this.value;
  }

  /** Changes the value and writes it. */
  update<R>(change: (value: T) => R): R {
    const result = change(this.value);
    this.save();
    return result;
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(this.value, null, 1), { mode: 0o600 });
    fs.renameSync(temporary, this.file);
  }
}
