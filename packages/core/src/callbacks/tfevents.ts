import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/*
 * TensorBoard event files, written by hand: TFRecord framing around `tensorflow.Event` protobufs.
 * Only five message types and a dozen fields are needed, so a protobuf library (and the .proto
 * files it would need to carry) is not worth its weight; the encoders below follow the protobuf
 * wire format (varint keys, fixed64 doubles, fixed32 floats, length-delimited strings/messages).
 */

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), as TFRecord uses. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC32C_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** One TFRecord: uint64 length, masked crc of the length, data, masked crc of the data. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

class ProtoWriter {
  private readonly parts: number[] = [];

  private varint(value: bigint | number): void {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n;
    while (v >= 0x80n) {
      this.parts.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.parts.push(Number(v));
  }
  private key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int64(field: number, value: number): this {
    this.key(field, 0);
    this.varint(Math.trunc(value));
    return this;
  }
  double(field: number, value: number): this {
    this.key(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, value, true);
    this.parts.push(...b);
    return this;
  }
  float(field: number, value: number): this {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.parts.push(...b);
    return this;
  }
  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.parts.push(...value);
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }
  packedDoubles(field: number, values: number[]): this {
    const b = new Uint8Array(values.length * 8);
    const view = new DataView(b.buffer);
    for (const [i, v] of values.entries()) view.setFloat64(i * 8, v, true);
    return this.bytes(field, b);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A histogram in TensorBoard's HistogramProto layout. */
export interface Histogram {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Upper edge of each bucket. */
  bucketLimit: number[];
  /** Count in each bucket. */
  bucket: number[];
}

/** Buckets `values` into `bins` equal-width buckets between their min and max. */
export function histogramOf(values: ArrayLike<number>, bins = 30): Histogram {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  if (values.length === 0)
    return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const width = max > min ? (max - min) / bins : 1;
  const n = max > min ? bins : 1;
  const bucket = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++)
    bucket[Math.min(n - 1, Math.floor((values[i]! - min) / width))]! += 1;
  const bucketLimit = Array.from({ length: n }, (_, i) =>
    i === n - 1 ? max : min + (i + 1) * width,
  );
  return { min, max, num: values.length, sum, sumSquares, bucketLimit, bucket };
}

/** Summary.Value with `simple_value` (field 2) or `histo` (field 5). */
function summaryValue(tag: string, value: number | Histogram): Uint8Array {
  const w = new ProtoWriter().string(1, tag);
  if (typeof value === 'number') return w.float(2, value).finish();
  const histo = new ProtoWriter()
    .double(1, value.min)
    .double(2, value.max)
    .double(3, value.num)
    .double(4, value.sum)
    .double(5, value.sumSquares)
    .packedDoubles(6, value.bucketLimit)
    .packedDoubles(7, value.bucket)
    .finish();
  return w.bytes(5, histo).finish();
}

/** Event{wall_time: 1 double, step: 2 int64, file_version: 3 string | summary: 5 Summary{value: 1}}. */
export function encodeEvent(
  wallTime: number,
  step: number,
  content: { fileVersion: string } | { values: [string, number | Histogram][] },
): Uint8Array {
  const w = new ProtoWriter().double(1, wallTime).int64(2, step);
  if ('fileVersion' in content) return w.string(3, content.fileVersion).finish();
  const summary = new ProtoWriter();
  for (const [tag, value] of content.values) summary.bytes(1, summaryValue(tag, value));
  return w.bytes(5, summary.finish()).finish();
}

let fileCounter = 0;

/**
 * Appends events to `<dir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2`, TensorBoard's naming.
 * Each record is written with one synchronous write, so a reader never sees half a record.
 */
export class EventFileWriter {
  readonly path: string;
  readonly #fd: number;
  readonly #clock: () => number;

  constructor(dir: string, { clock = () => Date.now() / 1000 }: { clock?: () => number } = {}) {
    mkdirSync(dir, { recursive: true });
    this.#clock = clock;
    const now = clock();
    fileCounter += 1;
    this.path = join(
      dir,
      `events.out.tfevents.${Math.floor(now)}.${hostname()}.${process.pid}.${fileCounter}.v2`,
    );
    this.#fd = openSync(this.path, 'a');
    this.#write(encodeEvent(now, 0, { fileVersion: 'brain.Event:2' }));
  }

  #write(event: Uint8Array): void {
    writeSync(this.#fd, tfRecord(event));
  }

  scalar(tag: string, value: number, step: number): void {
    this.#write(encodeEvent(this.#clock(), step, { values: [[tag, value]] }));
  }

  histogram(tag: string, values: ArrayLike<number>, step: number, bins = 30): void {
    this.#write(encodeEvent(this.#clock(), step, { values: [[tag, histogramOf(values, bins)]] }));
  }

  close(): void {
    closeSync(this.#fd);
  }
}
