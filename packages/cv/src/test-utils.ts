import { fileURLToPath } from 'node:url';

/** Absolute path of a file in packages/cv/test-fixtures. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../test-fixtures/${name}`, import.meta.url));
}
