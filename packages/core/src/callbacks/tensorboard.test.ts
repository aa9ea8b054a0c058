import { execFileSync } from 'node:child_process';
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
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../backend/backend.js';
import { CallbackList } from './callback.js';
import { fakeModel } from './fake-model.test-helper.js';
import { TensorBoard } from './tensorboard.js';
import { crc32c } from './tfevents.js';

beforeAll(async () => {
  await ready();
});
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A second, independent decoder: TFRecord frames -> [tag, value, step] of simple values. */
function decodeScalars(bytes: Uint8Array): [string, number, number][] {
  const out: [string, number, number][] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const varint = (buf: Uint8Array, i: number): [number, number] => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++]!;
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return [result, i];
    }
  };
  while (pos < bytes.length) {
    const length = Number(view.getBigUint64(pos, true));
    const body = bytes.subarray(pos + 12, pos + 12 + length);
    pos += 16 + length;
    let step = 0;
    let i = 0;
    while (i < body.length) {
      const [key, next] = varint(body, i);
      i = next;
      if ((key & 7) === 1) i += 8;
      else if ((key & 7) === 0) [step, i] = varint(body, i);
      else {
        const [n, start] = varint(body, i);
        const payload = body.subarray(start, start + n);
        i = start + n;
        if (key >> 3 === 5) {
          // Summary.value -> Value{tag, simple_value}
          const [, vStart] = varint(payload, 1);
          const value = payload.subarray(vStart);
          const tagLength = value[1]!;
          const tag = new TextDecoder().decode(value.subarray(2, 2 + tagLength));
          if (value[2 + tagLength] === 0x15) {
            out.push([
              tag,
              new DataView(value.buffer, value.byteOffset + 3 + tagLength, 4).getFloat32(0, true),
              step,
            ]);
          }
        }
      }
    }
  }
  return out;
}

describe('TensorBoard', () => {
  it('CRC-32C matches the published check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('writes epoch scalars (train / validation), batch scalars and histograms that decode back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cornu-tb-'));
    const model = fakeModel();
    const tb = new TensorBoard(dir, {
      histogramFreq: 1,
      updateFreq: 'batch',
      clock: () => 1700000000.25,
    });
    const list = new CallbackList([tb], { model });
    await list.onTrainBegin();
    for (let epoch = 0; epoch < 2; epoch++) {
      await list.onTrainBatchEnd(0, { loss: 0.75 - epoch * 0.25 });
      await list.onEpochEnd(epoch, { loss: 0.5 - epoch * 0.25, accuracy: 0.5, val_loss: 0.625 });
    }
    await list.onTrainEnd();
    const train = decodeScalars(readFileSync(join(dir, 'train', readdir(join(dir, 'train')))));
    expect(train).toEqual([
      ['batch_loss', 0.75, 1],
      ['epoch_loss', 0.5, 0],
      ['epoch_accuracy', 0.5, 0],
      ['batch_loss', 0.5, 2],
      ['epoch_loss', 0.25, 1],
      ['epoch_accuracy', 0.5, 1],
    ]);
    const validation = decodeScalars(
      readFileSync(join(dir, 'validation', readdir(join(dir, 'validation')))),
    );
    expect(validation).toEqual([
      ['epoch_loss', 0.625, 0],
      ['epoch_loss', 0.625, 1],
    ]);
    expect(readdir(join(dir, 'train'))).toMatch(/^events\.out\.tfevents\.1700000000\..+\.v2$/);

    // The bytes TensorBoard 2.21 itself read (test-fixtures/tensorboard/cornu-written, see its
    // read_with_tensorboard.py): Cornu still writes exactly those files.
    for (const run of ['train', 'validation'] as const) {
      const bytes = readFileSync(join(dir, run, readdir(join(dir, run))));
      if (process.env.CORNU_TB_OUT) {
        mkdirSync(join(process.env.CORNU_TB_OUT, run), { recursive: true });
        writeFileSync(
          join(process.env.CORNU_TB_OUT, run, 'events.out.tfevents.1700000000.cornu.v2'),
          bytes,
        );
      }
      const recorded = readFileSync(
        new URL(
          `../../test-fixtures/tensorboard/cornu-written/${run}/events.out.tfevents.1700000000.cornu.v2`,
          import.meta.url,
        ),
      );
      expect(Buffer.compare(Buffer.from(bytes), recorded)).toBe(0);
    }
    // ... and what TensorBoard's EventAccumulator read from them equals what Cornu meant
    const read = JSON.parse(
      readFileSync(
        new URL(
          '../../test-fixtures/tensorboard/cornu-written/tensorboard-read.json',
          import.meta.url,
        ),
        'utf8',
      ),
    ) as {
      runs: Record<
        string,
        { scalars: Record<string, [number, number][]>; histograms: Record<string, unknown[]> }
      >;
    };
    const asSeries = (scalars: [string, number, number][]) => {
      const bySeries: Record<string, [number, number][]> = {};
      for (const [tag, value, step] of scalars) {
        bySeries[tag] = [...(bySeries[tag] ?? []), [step, value]];
      }
      return bySeries;
    };
    expect(read.runs.train?.scalars).toEqual(asSeries(train));
    expect(read.runs.validation?.scalars).toEqual(asSeries(validation));
    expect(Object.keys(read.runs.train?.histograms ?? {}).sort()).toEqual([
      'dense/bias/histogram',
      'dense/kernel/histogram',
    ]);

    // The stdlib-only Python reader checks every CRC and decodes histograms too.
    if (existsSync('/usr/bin/python3')) {
      const script = new URL('../../test-fixtures/tensorboard/read_tfevents.py', import.meta.url)
        .pathname;
      const events = JSON.parse(
        execFileSync(
          '/usr/bin/python3',
          [script, join(dir, 'train', readdir(join(dir, 'train')))],
          { encoding: 'utf8' },
        ),
      ) as {
        wall_time: number;
        step?: number;
        file_version?: string;
        values?: {
          tag: string;
          histo?: { num: number; min: number; max: number; bucket: number[] };
        }[];
      }[];
      expect(events[0]).toEqual({
        wall_time: 1700000000.25,
        step: 0,
        file_version: 'brain.Event:2',
      });
      const kernel = events
        .flatMap((e) => e.values ?? [])
        .find((v) => v.tag === 'dense/kernel/histogram')!;
      expect(kernel.histo).toMatchObject({ num: 4, min: 1, max: 4 });
      expect(kernel.histo!.bucket.reduce((a, b) => a + b, 0)).toBe(4);
    }
    model.dispose();
  });
});

function readdir(path: string): string {
  const files = readdirSync(path);
  return files[0]!;
}
