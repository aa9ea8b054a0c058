import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getFile } from './get-file.js';
import { type LocalServer, startLocalServer } from './local-http-server.test-helper.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const body = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251);
const tarGz = new Uint8Array(
  readFileSync(new URL('../../test-fixtures/datasets/cifar-10-python.tar.gz', import.meta.url)),
);
const zip = zipSync({
  'pkg/a.txt': new TextEncoder().encode('alpha'),
  'pkg/sub/b.txt': new TextEncoder().encode('beta'),
});

let server: LocalServer;
let cache: string;
beforeAll(async () => {
  server = await startLocalServer(
    new Map([
      ['/data.bin', body],
      ['/archive.tar.gz', tarGz],
      ['/bundle.zip', zip],
    ]),
  );
});
afterAll(() => server.close());
beforeEach(() => {
  cache = mkdtempSync(join(tmpdir(), 'cornu-getfile-'));
  server.requests.length = 0;
});
afterEach(() => rmSync(cache, { recursive: true, force: true }));

describe('utils.getFile', () => {
  it('downloads into <cacheDir>/<cacheSubdir>/<fname>, checks sha256 and then serves from the cache', async () => {
    const path = await getFile('data.bin', `${server.url}/data.bin`, {
      cacheDir: cache,
      fileHash: sha256(body),
    });
    expect(path).toBe(join(cache, 'datasets', 'data.bin'));
    expect(sha256(readFileSync(path))).toBe(sha256(body));
    expect(
      await getFile('data.bin', `${server.url}/data.bin`, {
        cacheDir: cache,
        fileHash: sha256(body),
      }),
    ).toBe(path);
    expect(server.requests).toHaveLength(1);
  });

  it('uses CORNU_HOME when no cacheDir is given, and the URL name when fname is empty', async () => {
    const saved = process.env.CORNU_HOME;
    process.env.CORNU_HOME = cache;
    try {
      const path = await getFile(undefined, `${server.url}/data.bin`, { cacheSubdir: 'models' });
      expect(path).toBe(join(cache, 'models', 'data.bin'));
    } finally {
      if (saved === undefined) delete process.env.CORNU_HOME;
      else process.env.CORNU_HOME = saved;
    }
  });

  it('deletes the download and names both hashes on a mismatch', async () => {
    const wrong = '0'.repeat(64);
    await expect(
      getFile('data.bin', `${server.url}/data.bin`, { cacheDir: cache, fileHash: wrong }),
    ).rejects.toThrow(
      new RegExp(
        `sha256 of the file downloaded from .*data\\.bin is ${sha256(body)}, expected ${wrong}`,
      ),
    );
    expect(readdirSync(join(cache, 'datasets'))).toEqual([]);
  });

  it('re-downloads a cached file whose hash is wrong', async () => {
    const dir = join(cache, 'datasets');
    await getFile('data.bin', `${server.url}/data.bin`, { cacheDir: cache });
    writeFileSync(join(dir, 'data.bin'), 'corrupt');
    const path = await getFile('data.bin', `${server.url}/data.bin`, {
      cacheDir: cache,
      fileHash: sha256(body),
    });
    expect(sha256(readFileSync(path))).toBe(sha256(body));
    expect(server.requests).toHaveLength(2);
  });

  it('accepts md5 hashes (auto-detected by length)', async () => {
    const md5 = createHash('md5').update(body).digest('hex');
    await expect(
      getFile('data.bin', `${server.url}/data.bin`, { cacheDir: cache, fileHash: md5 }),
    ).resolves.toContain('data.bin');
  });

  it('reports HTTP errors with the status and URL and leaves no file', async () => {
    await expect(
      getFile('nope.bin', `${server.url}/nope.bin`, { cacheDir: cache }),
    ).rejects.toThrow(/HTTP 404 Not Found for http:\/\/127\.0\.0\.1:\d+\/nope\.bin/);
    expect(existsSync(join(cache, 'datasets', 'nope.bin'))).toBe(false);
  });

  it('reports an interrupted download as resumable and leaves no file under the final name', async () => {
    server.cutAfter.set('/data.bin', 70_000);
    await expect(
      getFile('data.bin', `${server.url}/data.bin`, { cacheDir: cache, fileHash: sha256(body) }),
    ).rejects.toThrow(/interrupted after \d+ bytes.*Call getFile again to resume/);
    expect(existsSync(join(cache, 'datasets', 'data.bin'))).toBe(false);
    const path = await getFile('data.bin', `${server.url}/data.bin`, {
      cacheDir: cache,
      fileHash: sha256(body),
    });
    expect(sha256(readFileSync(path))).toBe(sha256(body));
    expect(readdirSync(join(cache, 'datasets'))).toEqual(['data.bin']);
  });

  // How many bytes of a dropped transfer reach the disk depends on the machine's load (bytes still
  // queued in the response stream are lost with it), so the resume starts from a known .part file.
  it('resumes from the bytes a .part file holds with an HTTP Range request', async () => {
    const dir = join(cache, 'datasets');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data.bin.part'), body.subarray(0, 70_000));
    const path = await getFile('data.bin', `${server.url}/data.bin`, {
      cacheDir: cache,
      fileHash: sha256(body),
    });
    expect(sha256(readFileSync(path))).toBe(sha256(body));
    expect(server.requests).toEqual([{ path: '/data.bin', range: 'bytes=70000-' }]);
    expect(readdirSync(dir)).toEqual(['data.bin']);
  });

  it('untar: stores <fname>.tar.gz, extracts beside it and returns <cache>/<fname>', async () => {
    const dir = await getFile('cifar-10-batches-py', `${server.url}/archive.tar.gz`, {
      cacheDir: cache,
      untar: true,
      fileHash: sha256(tarGz),
    });
    expect(dir).toBe(join(cache, 'datasets', 'cifar-10-batches-py'));
    expect(readdirSync(dir).sort()).toEqual([
      'data_batch_1',
      'data_batch_2',
      'data_batch_3',
      'data_batch_4',
      'data_batch_5',
      'test_batch',
    ]);
    expect(existsSync(join(cache, 'datasets', 'cifar-10-batches-py.tar.gz'))).toBe(true);
  });

  it('extract: unpacks a zip into <file>_extracted', async () => {
    const dir = await getFile('bundle.zip', `${server.url}/bundle.zip`, {
      cacheDir: cache,
      extract: true,
    });
    expect(dir).toBe(join(cache, 'datasets', 'bundle.zip_extracted'));
    expect(readFileSync(join(dir, 'pkg', 'sub', 'b.txt'), 'utf8')).toBe('beta');
    expect(readFileSync(join(dir, 'pkg', 'a.txt'), 'utf8')).toBe('alpha');
  });
});
