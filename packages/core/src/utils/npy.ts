import { unzipSync } from 'fflate';
import { NotImplementedError, ValueError } from '../errors/errors.js';
import { PickleReduce, type PickleValue, unpickle } from './pickle.js';

export type NpyTypedArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A numpy array read from a `.npy` member: numeric ones hold a typed array in C order. */
export type NpyArray =
  | { kind: 'numeric'; dtype: string; shape: number[]; data: NpyTypedArray }
  | { kind: 'object'; dtype: 'object'; shape: number[]; data: PickleValue[] };

type Ctor = { new (buffer: ArrayBuffer): NpyTypedArray; BYTES_PER_ELEMENT: number };
const TYPES: Record<string, Ctor> = {
  b1: Uint8Array,
  u1: Uint8Array,
  i1: Int8Array,
  u2: Uint16Array,
  i2: Int16Array,
  u4: Uint32Array,
  i4: Int32Array,
  u8: BigUint64Array,
  i8: BigInt64Array,
  f4: Float32Array,
  f8: Float64Array,
};

/** Copies raw bytes (`endian` '<', '>' or '|') into a fresh native-endian typed array. */
function typedFromBytes(bytes: Uint8Array, descr: string, count: number): NpyTypedArray {
  const endian = descr[0];
  const code = descr.slice(1);
  const Type = TYPES[code];
  if (!Type || !'<>|='.includes(endian ?? '')) {
    throw new NotImplementedError(
      `npy: dtype '${descr}' is not supported. Expected one of ${Object.keys(TYPES).join(', ')} (any byte order) or object arrays.`,
    );
  }
  const size = Type.BYTES_PER_ELEMENT;
  if (bytes.length < count * size) {
    throw new ValueError(
      `npy: data holds ${bytes.length} bytes, expected ${count * size} for ${count} x '${descr}'.`,
    );
  }
  const copy = bytes.slice(0, count * size);
  if (endian === '>' && size > 1) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return new Type(copy.buffer);
}

const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Parses one `.npy` file (format versions 1, 2 and 3). Object arrays are unpickled safely. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((b, i) => bytes[i] === b)) {
    throw new ValueError('npy: missing the \\x93NUMPY magic string; this is not a .npy file.');
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(start, start + headerLength),
  );
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === 'True';
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) {
    throw new ValueError(`npy: cannot parse the header ${JSON.stringify(header)}.`);
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const body = bytes.subarray(start + headerLength);
  if (descr === '|O') {
    const array = ndarrayFromPickle(unpickle(body));
    if (array.kind !== 'object') throw new ValueError('npy: object header but a numeric pickle.');
    return array;
  }
  if (fortran && shape.length > 1) {
    throw new NotImplementedError(
      'npy: Fortran-ordered arrays are not supported; save with C order.',
    );
  }
  return {
    kind: 'numeric',
    dtype: descr.slice(1),
    shape,
    data: typedFromBytes(body, descr, product(shape)),
  };
}

/**
 * Interprets a pickled `numpy.ndarray` (as `np.save(..., allow_pickle=True)` and Python 2
 * cPickle write it): `_reconstruct(...)` with BUILD state `(version, shape, dtype, fortran, data)`.
 */
export function ndarrayFromPickle(value: PickleValue): NpyArray {
  if (!(value instanceof PickleReduce) || !Array.isArray(value.state)) {
    throw new ValueError('npy: the pickle does not hold a numpy ndarray.');
  }
  const [, shapeValue, dtypeValue, , raw] = value.state as unknown[];
  const shape = (shapeValue as number[]).map(Number);
  if (!(dtypeValue instanceof PickleReduce))
    throw new ValueError('npy: pickled ndarray without a dtype.');
  const code = String(dtypeValue.args[0]);
  if (code === 'O8' || code === 'O4' || code === 'O') {
    return { kind: 'object', dtype: 'object', shape, data: raw as PickleValue[] };
  }
  const dtypeState = Array.isArray(dtypeValue.state) ? (dtypeValue.state as unknown[]) : [];
  const endian = typeof dtypeState[1] === 'string' ? dtypeState[1] : '<';
  const name = code.replace(
    /^([a-z])(\d+)$/,
    (_, k: string, n: string) => `${k === 'b' ? 'b' : k}${n}`,
  );
  const bytes = raw instanceof Uint8Array ? raw : new TextEncoder().encode(String(raw));
  return {
    kind: 'numeric',
    dtype: name,
    shape,
    data: typedFromBytes(bytes, `${endian}${name}`, product(shape)),
  };
}

/** Reads every array of an `.npz` archive (a zip of `.npy` files), keyed without `.npy`. */
export function parseNpz(bytes: Uint8Array): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (cause) {
    throw new ValueError('npz: the file is not a valid zip archive.', { cause });
  }
  const out = new Map<string, NpyArray>();
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('.npy')) out.set(name.slice(0, -4), parseNpy(content));
  }
  return out;
}

/** Picks `key` from a parsed npz, with an error naming the keys that exist. */
export function npzGet(npz: Map<string, NpyArray>, key: string, file: string): NpyArray {
  const value = npz.get(key);
  if (!value) {
    throw new ValueError(
      `${file}: expected an array named '${key}'. Found: ${[...npz.keys()].join(', ') || 'none'}.`,
    );
  }
  return value;
}
