/**
 * FarmHash Fingerprint64 (farmhashna::Hash64, the hash behind TensorFlow's
 * `tf.strings.to_hash_bucket_fast`, which Keras's Hashing layer uses), on BigInt 64-bit words.
 * Written from the published algorithm description; checked against values produced by Keras.
 */
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const u64 = (v: bigint): bigint => v & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (...vs: bigint[]): bigint => vs.reduce((s, v) => s + v, 0n) & MASK;
const rotate = (v: bigint, shift: number): bigint => {
  const s = BigInt(shift);
  return ((v >> s) | (v << (64n - s))) & MASK;
};
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function fetch64(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] ?? 0);
  return v;
}
function fetch32(b: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 8n) | BigInt(b[i + k] ?? 0);
  return v;
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Uint8Array): bigint {
  const len = s.length;
  if (len >= 8) {
    const m = add(K2, BigInt(len * 2));
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rotate(b, 37), m), a);
    const d = mul(add(rotate(a, 25), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, BigInt(len * 2));
    const a = fetch32(s, 0);
    return hashLen16(add(BigInt(len), a << 3n), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const a = BigInt(s[0] ?? 0);
    const b = BigInt(s[len >> 1] ?? 0);
    const c = BigInt(s[len - 1] ?? 0);
    const y = (a + (b << 8n)) & 0xffffffffn;
    const z = (BigInt(len) + (c << 2n)) & 0xffffffffn;
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(
    add(rotate(add(a, b), 43), rotate(c, 30), d),
    add(a, rotate(add(b, K2), 18), c),
    m,
  );
}

function hashLen33to64(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(rotate(add(a, b), 43), rotate(c, 30), d);
  const z = hashLen16(y, add(a, rotate(add(b, K2), 18), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(
    add(rotate(add(e, f), 43), rotate(g, 30), h),
    add(e, rotate(add(f, a), 18), g),
    m,
  );
}

function weakHashLen32WithSeeds(
  s: Uint8Array,
  i: number,
  a0: bigint,
  b0: bigint,
): [bigint, bigint] {
  const w = fetch64(s, i);
  const x = fetch64(s, i + 8);
  const y = fetch64(s, i + 16);
  const z = fetch64(s, i + 24);
  let a = add(a0, w);
  let b = rotate(add(b0, a, z), 21);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44));
  return [add(a, z), add(b, c)];
}

/** FarmHash Fingerprint64 of the bytes, as an unsigned 64-bit BigInt. */
export function fingerprint64(s: Uint8Array): bigint {
  const len = s.length;
  if (len <= 16) return hashLen0to16(s);
  if (len <= 32) return hashLen17to32(s);
  if (len <= 64) return hashLen33to64(s);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = end + ((len - 1) & 63) - 63;
  let p = 0;
  do {
    x = mul(rotate(add(x, y, v[0], fetch64(s, p + 8)), 37), K1);
    y = mul(rotate(add(y, v[1], fetch64(s, p + 48)), 42), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, p + 40));
    z = mul(rotate(add(z, w[0]), 33), K1);
    v = weakHashLen32WithSeeds(s, p, mul(v[1], K1), add(x, w[0]));
    w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
    [z, x] = [x, z];
    p += 64;
  } while (p !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  p = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotate(add(x, y, v[0], fetch64(s, p + 8)), 37), m);
  y = mul(rotate(add(y, v[1], fetch64(s, p + 48)), 42), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, p + 40));
  z = mul(rotate(add(z, w[0]), 33), m);
  v = weakHashLen32WithSeeds(s, p, mul(v[1], m), add(x, w[0]));
  w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), add(y, fetch64(s, p + 16)));
  [z, x] = [x, z];
  return hashLen16(
    add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z),
    add(hashLen16(v[1], w[1], m), x),
    m,
  );
}

const encoder = new TextEncoder();

/** `tf.strings.to_hash_bucket_fast(value, numBuckets)`: Fingerprint64(utf8(value)) mod numBuckets. */
export function hashBucketFast(value: string, numBuckets: number): number {
  return Number(u64(fingerprint64(encoder.encode(value))) % BigInt(numBuckets));
}

function sipRound(v: bigint[]): void {
  const [a, b, c, d] = v as [bigint, bigint, bigint, bigint];
  let v0 = add(a, b);
  let v1 = rotate(b, 64 - 13) ^ v0;
  v0 = rotate(v0, 64 - 32);
  let v2 = add(c, d);
  let v3 = rotate(d, 64 - 16) ^ v2;
  v0 = add(v0, v3);
  v3 = rotate(v3, 64 - 21) ^ v0;
  v2 = add(v2, v1);
  v1 = rotate(v1, 64 - 17) ^ v2;
  v2 = rotate(v2, 64 - 32);
  v[0] = v0;
  v[1] = v1;
  v[2] = v2;
  v[3] = v3;
}

/** SipHash-2-4 of the bytes with the 128-bit key `[k0, k1]` (TensorFlow's StrongKeyedHash). */
export function sipHash24(s: Uint8Array, k0: bigint, k1: bigint): bigint {
  const v = [
    0x736f6d6570736575n ^ k0,
    0x646f72616e646f6dn ^ k1,
    0x6c7967656e657261n ^ k0,
    0x7465646279746573n ^ k1,
  ];
  const len = s.length;
  const full = len - (len % 8);
  const compress = (m: bigint): void => {
    v[3] = (v[3] as bigint) ^ m;
    sipRound(v);
    sipRound(v);
    v[0] = (v[0] as bigint) ^ m;
  };
  for (let i = 0; i < full; i += 8) compress(fetch64(s, i));
  let last = BigInt(len & 0xff) << 56n;
  for (let i = full; i < len; i++) last |= BigInt(s[i] ?? 0) << BigInt(8 * (i - full));
  compress(last);
  v[2] = (v[2] as bigint) ^ 0xffn;
  for (let r = 0; r < 4; r++) sipRound(v);
  return ((v[0] as bigint) ^ (v[1] as bigint) ^ (v[2] as bigint) ^ (v[3] as bigint)) & MASK;
}

/** `tf.strings.to_hash_bucket_strong(value, numBuckets, key)`: SipHash-2-4 mod numBuckets. */
export function hashBucketStrong(value: string, numBuckets: number, key: [number, number]): number {
  const h = sipHash24(encoder.encode(value), BigInt(key[0]), BigInt(key[1]));
  return Number(h % BigInt(numBuckets));
}
