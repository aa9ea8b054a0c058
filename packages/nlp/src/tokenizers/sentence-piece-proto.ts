import { ValueError } from '@cornu/core';

/** Piece kinds of a SentencePiece model (`ModelProto.SentencePiece.Type`). */
export type PieceType = 'normal' | 'unknown' | 'control' | 'userDefined' | 'unused' | 'byte';
const PIECE_TYPES: PieceType[] = [
  'normal',
  'normal',
  'unknown',
  'control',
  'userDefined',
  'unused',
  'byte',
];
const PIECE_TYPE_CODES: Record<PieceType, number> = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
};

export interface SentencePiece {
  piece: string;
  score: number;
  type: PieceType;
}

/** The normalization rules of a model (`NormalizerSpec`). */
export interface NormalizerSpec {
  name: string;
  /** Compiled character map: a double-array trie plus replacement strings. Empty = identity. */
  precompiledCharsmap: Uint8Array;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
  escapeWhitespaces: boolean;
}

/** The parts of `TrainerSpec` that encoding and decoding read. */
export interface TrainerSpec {
  modelType: 'unigram' | 'bpe' | 'word' | 'char';
  vocabSize: number;
  byteFallback: boolean;
  treatWhitespaceAsSuffix: boolean;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  unkSurface: string;
}

/** A parsed SentencePiece `ModelProto`. */
export interface SentencePieceModelProto {
  pieces: SentencePiece[];
  trainerSpec: TrainerSpec;
  normalizerSpec: NormalizerSpec;
}

const MODEL_TYPES: TrainerSpec['modelType'][] = ['unigram', 'unigram', 'bpe', 'word', 'char'];

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  /** A varint, as a signed 32-bit value (proto int32 semantics) when it does not fit 2^53. */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length)
        throw new ValueError(
          'SentencePiece model: truncated varint; the file is not a ModelProto.',
        );
      const b = this.bytes[this.pos++] as number;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (hi === 0) return lo >>> 0;
    return lo | 0;
  }
  bytesField(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.bytes.length)
      throw new ValueError(
        'SentencePiece model: field runs past the end of the file; the file is not a ModelProto.',
      );
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  float(): number {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytesField();
    else if (wire === 5) this.pos += 4;
    else
      throw new ValueError(
        `SentencePiece model: unsupported protobuf wire type ${wire}; the file is not a ModelProto.`,
      );
  }
}

const text = new TextDecoder();

function parsePiece(bytes: Uint8Array): SentencePiece {
  const r = new Reader(bytes);
  const piece: SentencePiece = { piece: '', score: 0, type: 'normal' };
  while (!r.done) {
    const key = r.varint();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === 2) piece.piece = text.decode(r.bytesField());
    else if (field === 2 && wire === 5) piece.score = r.float();
    else if (field === 3 && wire === 0) piece.type = PIECE_TYPES[r.varint()] ?? 'normal';
    else r.skip(wire);
  }
  return piece;
}

function parseTrainer(bytes: Uint8Array): TrainerSpec {
  const spec: TrainerSpec = {
    modelType: 'unigram',
    vocabSize: 8000,
    byteFallback: false,
    treatWhitespaceAsSuffix: false,
    unkId: 0,
    bosId: 1,
    eosId: 2,
    padId: -1,
    unkSurface: ' \u2047 ',
  };
  const r = new Reader(bytes);
  while (!r.done) {
    const key = r.varint();
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) {
      const v = r.varint();
      if (field === 3) spec.modelType = MODEL_TYPES[v] ?? 'unigram';
      else if (field === 4) spec.vocabSize = v;
      else if (field === 24) spec.treatWhitespaceAsSuffix = v !== 0;
      else if (field === 35) spec.byteFallback = v !== 0;
      else if (field === 40) spec.unkId = v | 0;
      else if (field === 41) spec.bosId = v | 0;
      else if (field === 42) spec.eosId = v | 0;
      else if (field === 43) spec.padId = v | 0;
    } else if (wire === 2 && field === 44) {
      spec.unkSurface = text.decode(r.bytesField());
    } else r.skip(wire);
  }
  return spec;
}

function parseNormalizer(bytes: Uint8Array | undefined): NormalizerSpec {
  const spec: NormalizerSpec = {
    name: '',
    precompiledCharsmap: new Uint8Array(0),
    addDummyPrefix: true,
    removeExtraWhitespaces: true,
    escapeWhitespaces: true,
  };
  if (bytes === undefined) return spec;
  const r = new Reader(bytes);
  while (!r.done) {
    const key = r.varint();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === 2) spec.name = text.decode(r.bytesField());
    else if (field === 2 && wire === 2) spec.precompiledCharsmap = r.bytesField().slice();
    else if (field === 3 && wire === 0) spec.addDummyPrefix = r.varint() !== 0;
    else if (field === 4 && wire === 0) spec.removeExtraWhitespaces = r.varint() !== 0;
    else if (field === 5 && wire === 0) spec.escapeWhitespaces = r.varint() !== 0;
    else r.skip(wire);
  }
  return spec;
}

/** Parses a serialized SentencePiece `ModelProto` (a `.model` / `.spm` file). */
export function parseSentencePieceModel(bytes: Uint8Array): SentencePieceModelProto {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new ValueError('SentencePiece model: expected the non-empty bytes of a .model file.');
  }
  const r = new Reader(bytes);
  const pieces: SentencePiece[] = [];
  let trainer: Uint8Array | undefined;
  let normalizer: Uint8Array | undefined;
  while (!r.done) {
    const key = r.varint();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === 2) pieces.push(parsePiece(r.bytesField()));
    else if (field === 2 && wire === 2) trainer = r.bytesField();
    else if (field === 3 && wire === 2) normalizer = r.bytesField();
    else r.skip(wire);
  }
  if (pieces.length === 0)
    throw new ValueError('SentencePiece model: the file holds no pieces; expected a ModelProto.');
  return {
    pieces,
    trainerSpec: parseTrainer(trainer ?? new Uint8Array(0)),
    normalizerSpec: parseNormalizer(normalizer),
  };
}

class Writer {
  private readonly chunks: number[] = [];
  varint(value: number): void {
    let v = value;
    if (v < 0) {
      // Negative int32: ten-byte two's complement form.
      let lo = v >>> 0;
      for (let i = 0; i < 4; i++) {
        this.chunks.push((lo & 0x7f) | 0x80);
        lo >>>= 7;
      }
      this.chunks.push((lo & 0x7f) | 0x70 | 0x80);
      for (let i = 0; i < 4; i++) this.chunks.push(0xff);
      this.chunks.push(0x01);
      return;
    }
    while (v >= 0x80) {
      this.chunks.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.chunks.push(v);
  }
  key(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  bytes(field: number, data: Uint8Array): void {
    this.key(field, 2);
    this.varint(data.length);
    for (const b of data) this.chunks.push(b);
  }
  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }
  float(field: number, v: number): void {
    this.key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.chunks.push(x);
  }
  int(field: number, v: number): void {
    this.key(field, 0);
    this.varint(v);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** Serializes a model back to `ModelProto` bytes (the fields `parseSentencePieceModel` reads). */
export function serializeSentencePieceModel(model: SentencePieceModelProto): Uint8Array {
  const w = new Writer();
  for (const p of model.pieces) {
    const pw = new Writer();
    pw.string(1, p.piece);
    pw.float(2, p.score);
    if (p.type !== 'normal') pw.int(3, PIECE_TYPE_CODES[p.type]);
    w.bytes(1, pw.finish());
  }
  const t = model.trainerSpec;
  const tw = new Writer();
  tw.int(3, MODEL_TYPES.indexOf(t.modelType, 1));
  tw.int(4, t.vocabSize);
  tw.int(24, t.treatWhitespaceAsSuffix ? 1 : 0);
  tw.int(35, t.byteFallback ? 1 : 0);
  tw.int(40, t.unkId);
  tw.int(41, t.bosId);
  tw.int(42, t.eosId);
  tw.int(43, t.padId);
  tw.string(44, t.unkSurface);
  w.bytes(2, tw.finish());
  const n = model.normalizerSpec;
  const nw = new Writer();
  nw.string(1, n.name);
  if (n.precompiledCharsmap.length > 0) nw.bytes(2, n.precompiledCharsmap);
  nw.int(3, n.addDummyPrefix ? 1 : 0);
  nw.int(4, n.removeExtraWhitespaces ? 1 : 0);
  nw.int(5, n.escapeWhitespaces ? 1 : 0);
  w.bytes(3, nw.finish());
  return w.finish();
}
