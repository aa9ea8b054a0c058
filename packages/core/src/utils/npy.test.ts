import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy, parseNpz } from './npy.js';
import { unpickle } from './pickle.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../test-fixtures/datasets/${name}`, import.meta.url)));
const expected = JSON.parse(
  readFileSync(new URL('../../test-fixtures/datasets/expected.json', import.meta.url), 'utf8'),
) as { zoo: Record<string, { shape: number[]; values: number[] }> };

describe('utils.parseNpz / parseNpy', () => {
  it('reads every dtype and byte order numpy wrote (zoo.npz)', () => {
    const npz = parseNpz(fixture('zoo.npz'));
    expect([...npz.keys()].sort()).toEqual(Object.keys(expected.zoo).sort());
    for (const [key, want] of Object.entries(expected.zoo)) {
      const array = npz.get(key)!;
      expect(array.shape, key).toEqual(want.shape);
      expect(Array.from(array.data as ArrayLike<number | bigint>, Number), key).toEqual(
        want.values,
      );
    }
  });

  it('reads pickled object arrays of lists (imdb.npz layout)', () => {
    const npz = parseNpz(fixture('imdb.npz'));
    const x = npz.get('x_train')!;
    expect(x.kind).toBe('object');
    expect(x.shape).toEqual([40]);
    expect(Array.isArray(x.data[0])).toBe(true);
  });

  it('rejects a file without the magic string', () => {
    expect(() => parseNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(
      /missing the \\x93NUMPY magic/,
    );
  });

  it('unpickles protocol-0 text opcodes and protocol-2 containers', () => {
    // pickle.dumps([1, (2, 'ab'), {'k': 3.5}], protocol=0) from Python 3.11.
    const p0 = new TextEncoder().encode('(lp0\nI1\na(I2\nVab\np1\ntp2\na(dp3\nVk\np4\nF3.5\nsa.');
    expect(unpickle(p0)).toEqual([1, [2, 'ab'], new Map([['k', 3.5]])]);
    // pickle.dumps({'a': [1, -2, 70000], 'b': b'xy'}, protocol=2)
    const p2 = new Uint8Array(
      Buffer.from(
        '80027d71002858010000006171015d7102284b014afeffffff4a70110100655801000000627103635f636f646563730a656e636f64650a710458020000007879710558060000006c6174696e317106867107527108752e',
        'hex',
      ),
    );
    const value = unpickle(p2) as Map<string, unknown>;
    expect(value.get('a')).toEqual([1, -2, 70000]);
    expect(Array.from(value.get('b') as Uint8Array)).toEqual([120, 121]);
  });
});
