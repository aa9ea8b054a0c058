/**
 * HDF5 through h5wasm, on in-memory bytes: `readH5(bytes, file)` opens a file image for reading,
 * `writeH5(build)` builds one and returns its bytes. Every h5wasm failure becomes a `ValueError`
 * naming the file and the problem (h5wasm's own diagnostics are not the error).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';

type H5Module = typeof import('h5wasm');
type H5Group = import('h5wasm').Group;
type H5Dataset = import('h5wasm').Dataset;

let h5Promise: Promise<H5Module> | null = null;
let fileCounter = 0;

/**
 * A native `import()` for the CommonJS build: h5wasm is ESM-only (no `require` export), and the
 * CommonJS build turns `import('h5wasm')` into a `require`, which fails; then this is used.
 */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

/** Loads h5wasm once (its WebAssembly module and in-memory file system). */
async function loadH5(): Promise<H5Module> {
  if (!h5Promise) {
    h5Promise = (async () => {
      let mod: H5Module;
      try {
        mod = await import('h5wasm');
      } catch {
        mod = (await importEsm('h5wasm')) as H5Module;
      }
      await mod.ready;
      return mod;
    })();
  }
  return h5Promise;
}

/** The HDF5 signature every HDF5 file starts with (at offset 0 for the files Keras writes). */
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start with the HDF5 signature. */
export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && HDF5_MAGIC.every((b, i) => bytes[i] === b);
}

/** A read-only view of an HDF5 file image. */
export interface H5Reader {
  /** Names of the members of the group at `path` ('' is the root), or null when there is no such group. */
  keys(path: string): string[] | null;
  /** True when `path` names a group. */
  isGroup(path: string): boolean;
  /** True when `path` names a dataset. */
  isDataset(path: string): boolean;
  /** The dataset at `path` as a tensor (float32, int32 or bool). */
  tensor(path: string): tf.Tensor;
  /** Shape of the dataset at `path`. */
  shape(path: string): number[];
  /** An attribute of the object at `path` ('' is the root), JSON-compatible, or undefined. */
  attr(path: string, name: string): unknown;
  /** Every dataset path under `path`, depth first, in HDF5 member order. */
  datasets(path: string): string[];
}

function toTensor(value: unknown, shape: number[], where: string): tf.Tensor {
  if (value instanceof Float32Array) return tf.tensor(value, shape, 'float32');
  if (value instanceof Float64Array) return tf.tensor(Float32Array.from(value), shape, 'float32');
  if (
    value instanceof Int32Array ||
    value instanceof Int16Array ||
    value instanceof Int8Array ||
    value instanceof Uint8Array ||
    value instanceof Uint16Array
  ) {
    return tf.tensor(Int32Array.from(value), shape, 'int32');
  }
  if (value instanceof BigInt64Array || value instanceof BigUint64Array) {
    return tf.tensor(
      Int32Array.from(value, (v) => Number(v)),
      shape,
      'int32',
    );
  }
  if (typeof value === 'number') return tf.tensor(value, shape, 'float32');
  if (typeof value === 'bigint') return tf.tensor(Number(value), shape, 'int32');
  if (typeof value === 'boolean') return tf.tensor(value ? 1 : 0, shape, 'bool');
  if (value instanceof Uint32Array) return tf.tensor(Int32Array.from(value), shape, 'int32');
  throw new ValueError(
    `${where}: unsupported dataset type (${Object.prototype.toString.call(value)}); expected a numeric array.`,
  );
}

/**
 * Opens the HDF5 image `bytes` (from `file`, named in errors) and runs `fn` on it; the file is
 * closed and removed from h5wasm's memory afterwards.
 */
export async function readH5<T>(
  bytes: Uint8Array,
  file: string,
  fn: (reader: H5Reader) => T | Promise<T>,
): Promise<T> {
  if (!isHdf5(bytes)) {
    throw new ValueError(
      `${file}: not an HDF5 file (expected the signature \\x89HDF\\r\\n\\x1a\\n at byte 0, received ${bytes.length < 8 ? `${bytes.length} bytes` : `bytes ${JSON.stringify(Array.from(bytes.slice(0, 8)))}`}).`,
    );
  }
  const h5 = await loadH5();
  const FS = h5.FS as unknown as {
    writeFile(p: string, d: Uint8Array): void;
    unlink(p: string): void;
  };
  fileCounter += 1;
  const memPath = `/cornu-read-${fileCounter}.h5`;
  FS.writeFile(memPath, bytes);
  let f: import('h5wasm').File | null = null;
  try {
    try {
      f = new h5.File(memPath, 'r');
    } catch (error) {
      throw new ValueError(
        `${file}: HDF5 file is truncated or corrupted (${error instanceof Error ? error.message : String(error)}).`,
        { cause: error },
      );
    }
    if (
      !f ||
      (f as unknown as { file_id?: bigint }).file_id === undefined ||
      (f as unknown as { file_id: bigint }).file_id < 0n
    ) {
      throw new ValueError(
        `${file}: HDF5 file is truncated or corrupted (h5wasm could not open it).`,
      );
    }
    const root = f;
    const get = (path: string) => {
      try {
        return path === '' || path === '/' ? root : root.get(path);
      } catch {
        return null;
      }
    };
    const isGroup = (path: string) => get(path) instanceof h5.Group;
    const isDataset = (path: string) => get(path) instanceof h5.Dataset;
    const reader: H5Reader = {
      keys(path) {
        const e = get(path);
        if (!(e instanceof h5.Group)) return null;
        try {
          return e.keys();
        } catch (error) {
          throw new ValueError(
            `${file}: cannot list group '${path}' (file truncated or corrupted?): ${String(error)}`,
            { cause: error },
          );
        }
      },
      isGroup,
      isDataset,
      shape(path) {
        const e = get(path);
        if (!(e instanceof h5.Dataset)) throw new ValueError(`${file}: no dataset at '${path}'.`);
        return (e as H5Dataset).shape ?? [];
      },
      tensor(path) {
        const e = get(path);
        if (!(e instanceof h5.Dataset)) throw new ValueError(`${file}: no dataset at '${path}'.`);
        let value: unknown;
        try {
          value = (e as H5Dataset).value;
        } catch (error) {
          throw new ValueError(
            `${file}: cannot read dataset '${path}' (file truncated or corrupted?): ${String(error)}`,
            { cause: error },
          );
        }
        if (value === null || value === undefined)
          throw new ValueError(
            `${file}: cannot read dataset '${path}' (file truncated or corrupted?).`,
          );
        return toTensor(value, (e as H5Dataset).shape ?? [], `${file}: dataset '${path}'`);
      },
      attr(path, name) {
        const e = get(path);
        if (!e || !('attrs' in e)) return undefined;
        try {
          const attrs = (e as H5Group).attrs;
          const a = attrs[name];
          if (!a) return undefined;
          return a.json_value;
        } catch (error) {
          throw new ValueError(
            `${file}: cannot read attribute '${name}' of '${path || '/'}': ${String(error)}`,
            { cause: error },
          );
        }
      },
      datasets(path) {
        const out: string[] = [];
        const visit = (p: string) => {
          const e = get(p);
          if (e instanceof h5.Dataset) out.push(p);
          else if (e instanceof h5.Group) for (const k of e.keys()) visit(p ? `${p}/${k}` : k);
        };
        visit(path);
        return out;
      },
    };
    return await fn(reader);
  } finally {
    try {
      f?.close();
    } catch {
      // already closed or never opened
    }
    try {
      FS.unlink(memPath);
    } catch {
      // not created
    }
  }
}

/** Builds an HDF5 file: groups are created on demand, datasets from tensors. */
export interface H5Writer {
  /** Creates the group at `path` (and its parents) if missing. */
  group(path: string): void;
  /** Writes `values` as the dataset `path` (parents created). */
  dataset(path: string, values: tf.Tensor): void;
  /** Sets a string attribute on the group or dataset at `path` ('' is the root). */
  attr(path: string, name: string, value: string | string[]): void;
}

/** Builds an HDF5 file with `build` and returns its bytes. */
export async function writeH5(
  build: (writer: H5Writer) => void | Promise<void>,
): Promise<Uint8Array> {
  const h5 = await loadH5();
  const FS = h5.FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  fileCounter += 1;
  const memPath = `/cornu-write-${fileCounter}.h5`;
  const f = new h5.File(memPath, 'w');
  let closed = false;
  try {
    const groups = new Set<string>(['']);
    const ensure = (path: string) => {
      const parts = path.split('/').filter((p) => p.length > 0);
      let current = '';
      for (const part of parts) {
        const next = current ? `${current}/${part}` : part;
        if (!groups.has(next)) {
          const parent = current ? (f.get(current) as H5Group) : f;
          parent.create_group(part);
          groups.add(next);
        }
        current = next;
      }
    };
    const writer: H5Writer = {
      group: ensure,
      dataset(path, values) {
        const cut = path.lastIndexOf('/');
        const parentPath = cut < 0 ? '' : path.slice(0, cut);
        ensure(parentPath);
        const parent = parentPath ? (f.get(parentPath) as H5Group) : f;
        const data = values.dataSync();
        const typed =
          values.dtype === 'int32'
            ? Int32Array.from(data as Int32Array)
            : values.dtype === 'bool'
              ? Uint8Array.from(data as Uint8Array)
              : Float32Array.from(data as Float32Array);
        parent.create_dataset({ name: path.slice(cut + 1), data: typed, shape: values.shape });
      },
      attr(path, name, value) {
        const target = path ? f.get(path) : f;
        if (!target || !('create_attribute' in target))
          throw new ValueError(`writeH5: no object at '${path}' to attach attribute '${name}' to.`);
        (target as H5Group).create_attribute(name, value);
      },
    };
    await build(writer);
    f.close();
    closed = true;
    return FS.readFile(memPath);
  } finally {
    if (!closed) {
      try {
        f.close();
      } catch {
        // ignore
      }
    }
    try {
      FS.unlink(memPath);
    } catch {
      // ignore
    }
  }
}
