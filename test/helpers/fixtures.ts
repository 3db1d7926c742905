import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const dir = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'debian12');

/** A fixture captured from the testbed VM, without its one-line provenance header. */
export function fixture(name: string): string {
  const text = readFileSync(path.join(dir, name), 'utf8');
  return text.startsWith('# captured from') ? text.slice(text.indexOf('\n') + 1) : text;
}
