import { tf, ValueError } from '@cornu/core';

const MAGIC = 'CORNU-TUNER-WEIGHTS-1\n';

/**
 * Packs weight values into bytes: a magic line, a 4-byte header length, a JSON header of shapes
 * and dtypes, then the raw little-endian data. The tuner's private checkpoint format (core's
 * `.weights.h5` saving replaces it once available).
 */
export function encodeWeights(tensors: tf.Tensor[]): Uint8Array {
  const header = Buffer.from(
    JSON.stringify(tensors.map((t) => ({ shape: t.shape, dtype: t.dtype }))),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const parts = tensors.map((t) => {
    if (t.dtype !== 'float32' && t.dtype !== 'int32') {
      throw new ValueError(
        `encodeWeights: expected float32 or int32 weights. Received dtype ${t.dtype}.`,
      );
    }
    const data = t.dataSync() as Float32Array | Int32Array;
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  });
  return Buffer.concat([Buffer.from(MAGIC), length, header, ...parts]);
}

/** Inverse of `encodeWeights`; the caller disposes the tensors. */
export function decodeWeights(bytes: Uint8Array, source = 'weights'): tf.Tensor[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, MAGIC.length).toString() !== MAGIC) {
    throw new ValueError(`decodeWeights: ${source} is not a Cornu tuner checkpoint (bad magic).`);
  }
  const length = buffer.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4;
  const header = JSON.parse(buffer.subarray(offset, offset + length).toString()) as {
    shape: number[];
    dtype: 'float32' | 'int32';
  }[];
  offset += length;
  return header.map(({ shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const copy = new Uint8Array(buffer.subarray(offset, offset + size * 4)).buffer;
    offset += size * 4;
    return tf.tensor(
      dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy),
      shape,
      dtype,
    );
  });
}
