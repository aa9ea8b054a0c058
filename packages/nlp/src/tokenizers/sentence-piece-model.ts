import type { PieceType, SentencePiece } from './sentence-piece-proto.js';
import { utf8Encode } from './unicode.js';

/** One encoded piece: its id and its `[start, end)` span in the normalized text. */
export interface EncodedPiece {
  id: number;
  start: number;
  end: number;
}

const UNK_PENALTY = 10;
const KEY_SCALE = 65536;

function isBoundary(text: string, i: number): boolean {
  const u = text.charCodeAt(i);
  if (u < 0xdc00 || u > 0xdfff || i === 0) return true;
  const p = text.charCodeAt(i - 1);
  return p < 0xd800 || p > 0xdbff;
}

/**
 * The encoding core of a SentencePiece model: unigram (Viterbi over piece log-probabilities)
 * or BPE (merge the highest-scoring adjacent pair first), with byte fallback.
 */
export class SentencePieceModel {
  readonly pieceIndex = new Map<string, number>();
  /** (node * 65536 + UTF-16 unit) -> child node; node ids index `nodePiece`. */
  private readonly trie = new Map<number, number>();
  private nodePiece: number[] = [-1];
  private readonly byteIds = new Int32Array(256).fill(-1);
  private readonly scores: Float64Array;
  private readonly types: PieceType[];
  private readonly unkScore: number;
  private readonly maxScore: number;

  constructor(
    readonly pieces: readonly SentencePiece[],
    readonly modelType: 'unigram' | 'bpe' | 'word' | 'char',
    readonly unkId: number,
    readonly byteFallback: boolean,
  ) {
    this.scores = Float64Array.from(pieces, (p) => p.score);
    this.types = pieces.map((p) => p.type);
    let minScore = Number.POSITIVE_INFINITY;
    let maxScore = Number.NEGATIVE_INFINITY;
    pieces.forEach((p, id) => {
      if (p.type === 'byte') {
        const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(p.piece);
        if (m?.[1] !== undefined) this.byteIds[Number.parseInt(m[1], 16)] = id;
        return;
      }
      if (p.type === 'normal' || p.type === 'userDefined' || p.type === 'unused') {
        if (!this.pieceIndex.has(p.piece)) {
          this.pieceIndex.set(p.piece, id);
          this.insert(p.piece, id);
        }
        if (p.type === 'normal') {
          minScore = Math.min(minScore, p.score);
          maxScore = Math.max(maxScore, p.score);
        }
      }
    });
    this.unkScore = (Number.isFinite(minScore) ? minScore : 0) - UNK_PENALTY;
    this.maxScore = Number.isFinite(maxScore) ? maxScore : 0;
  }

  private insert(piece: string, id: number): void {
    let node = 0;
    for (let k = 0; k < piece.length; k++) {
      const key = node * KEY_SCALE + piece.charCodeAt(k);
      let child = this.trie.get(key);
      if (child === undefined) {
        child = this.nodePiece.length;
        this.nodePiece.push(-1);
        this.trie.set(key, child);
      }
      node = child;
    }
    this.nodePiece[node] = id;
  }

  /** Encodes one normalized string. */
  encode(text: string, out: EncodedPiece[]): void {
    if (text.length === 0) return;
    if (this.modelType === 'bpe') this.encodeBpe(text, out);
    else if (this.modelType === 'word') this.encodeWords(text, out);
    else if (this.modelType === 'char') this.encodeChars(text, out);
    else this.encodeUnigram(text, out);
  }

  private lookup(text: string, start: number, end: number, out: EncodedPiece[]): void {
    const id = this.pieceIndex.get(text.slice(start, end));
    if (id !== undefined && this.types[id] !== 'unused') out.push({ id, start, end });
    else this.pushUnknown(text, start, end, out);
  }

  /** Word model: every `▁`-started run is one piece. */
  private encodeWords(text: string, out: EncodedPiece[]): void {
    let start = 0;
    for (let i = 1; i <= text.length; i++) {
      if (i === text.length || text[i] === '\u2581') {
        this.lookup(text, start, i, out);
        start = i;
      }
    }
  }

  /** Char model: every code point is one piece. */
  private encodeChars(text: string, out: EncodedPiece[]): void {
    for (let i = 0; i < text.length; ) {
      const width = (text.codePointAt(i) as number) > 0xffff ? 2 : 1;
      this.lookup(text, i, i + width, out);
      i += width;
    }
  }

  private pushUnknown(text: string, start: number, end: number, out: EncodedPiece[]): void {
    if (!this.byteFallback) {
      out.push({ id: this.unkId, start, end });
      return;
    }
    for (let i = start; i < end; ) {
      const cp = text.codePointAt(i) as number;
      const width = cp > 0xffff ? 2 : 1;
      for (const b of utf8Encode(text.slice(i, i + width))) {
        const id = this.byteIds[b] as number;
        out.push({ id: id >= 0 ? id : this.unkId, start: i, end: i + width });
      }
      i += width;
    }
  }

  private encodeUnigram(text: string, out: EncodedPiece[]): void {
    const n = text.length;
    const best = new Float64Array(n + 1).fill(Number.NEGATIVE_INFINITY);
    const from = new Int32Array(n + 1).fill(-1);
    const ids = new Int32Array(n + 1).fill(-1);
    best[0] = 0;
    from[0] = 0;
    for (let pos = 0; pos < n; pos++) {
      if (from[pos] === -1 || !isBoundary(text, pos)) continue;
      const base = best[pos] as number;
      const cp = text.codePointAt(pos) as number;
      const charEnd = pos + (cp > 0xffff ? 2 : 1);
      let hasSingle = false;
      let node = 0;
      for (let k = pos; k < n; k++) {
        const child = this.trie.get(node * KEY_SCALE + text.charCodeAt(k));
        if (child === undefined) break;
        node = child;
        const id = this.nodePiece[node] as number;
        const end = k + 1;
        if (id < 0 || this.types[id] === 'unused' || (end < n && !isBoundary(text, end))) continue;
        const score =
          base +
          (this.types[id] === 'userDefined'
            ? (end - pos) * this.maxScore - 0.1
            : (this.scores[id] as number));
        if (from[end] === -1 || score > (best[end] as number)) {
          best[end] = score;
          from[end] = pos;
          ids[end] = id;
        }
        if (end === charEnd) hasSingle = true;
      }
      if (!hasSingle) {
        const score = base + this.unkScore;
        if (from[charEnd] === -1 || score > (best[charEnd] as number)) {
          best[charEnd] = score;
          from[charEnd] = pos;
          ids[charEnd] = this.unkId;
        }
      }
    }
    const path: EncodedPiece[] = [];
    for (let end = n; end > 0; ) {
      const start = from[end] as number;
      path.push({ id: ids[end] as number, start, end });
      end = start;
    }
    path.reverse();
    for (let k = 0; k < path.length; k++) {
      const p = path[k] as EncodedPiece;
      if (p.id !== this.unkId) {
        out.push(p);
        continue;
      }
      let end = p.end;
      while (k + 1 < path.length && (path[k + 1] as EncodedPiece).id === this.unkId)
        end = (path[++k] as EncodedPiece).end;
      this.pushUnknown(text, p.start, end, out);
    }
  }

  private encodeBpe(text: string, out: EncodedPiece[]): void {
    // Symbols: code points (user-defined pieces stay whole), as [start, end) spans in a linked list.
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < text.length; ) {
      let end = i + ((text.codePointAt(i) as number) > 0xffff ? 2 : 1);
      let node = 0;
      for (let k = i; k < text.length; k++) {
        const child = this.trie.get(node * KEY_SCALE + text.charCodeAt(k));
        if (child === undefined) break;
        node = child;
        const id = this.nodePiece[node] as number;
        if (id >= 0 && this.types[id] === 'userDefined') end = Math.max(end, k + 1);
      }
      starts.push(i);
      ends.push(end);
      i = end;
    }
    const count = starts.length;
    const next = Int32Array.from({ length: count }, (_, i) => (i + 1 < count ? i + 1 : -1));
    const prev = Int32Array.from({ length: count }, (_, i) => i - 1);
    const alive = new Uint8Array(count).fill(1);
    // Agenda: max-heap on score, ties to the leftmost pair.
    const hScore: number[] = [];
    const hLeft: number[] = [];
    const hRight: number[] = [];
    const hSize: number[] = [];
    const heap: number[] = [];
    const better = (a: number, b: number): boolean =>
      (hScore[a] as number) > (hScore[b] as number) ||
      ((hScore[a] as number) === (hScore[b] as number) &&
        (hLeft[a] as number) < (hLeft[b] as number));
    const push = (left: number, right: number): void => {
      if (left < 0 || right < 0) return;
      const piece = text.slice(starts[left], ends[right]);
      const id = this.pieceIndex.get(piece);
      if (id === undefined || this.types[id] === 'userDefined') return;
      const e = hScore.length;
      hScore.push(this.scores[id] as number);
      hLeft.push(left);
      hRight.push(right);
      hSize.push(piece.length);
      heap.push(e);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!better(e, heap[parent] as number)) break;
        heap[i] = heap[parent] as number;
        i = parent;
      }
      heap[i] = e;
    };
    const pop = (): number => {
      const top = heap[0] as number;
      const last = heap.pop() as number;
      const size = heap.length;
      if (size > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= size) break;
          const r = l + 1;
          const c = r < size && better(heap[r] as number, heap[l] as number) ? r : l;
          if (!better(heap[c] as number, last)) break;
          heap[i] = heap[c] as number;
          i = c;
        }
        heap[i] = last;
      }
      return top;
    };
    for (let i = 0; i + 1 < count; i++) push(i, i + 1);
    while (heap.length > 0) {
      const e = pop();
      const left = hLeft[e] as number;
      const right = hRight[e] as number;
      if (!alive[left] || !alive[right] || next[left] !== right) continue;
      if ((ends[right] as number) - (starts[left] as number) !== hSize[e]) continue;
      ends[left] = ends[right] as number;
      alive[right] = 0;
      const after = next[right] as number;
      next[left] = after;
      if (after >= 0) prev[after] = left;
      push(prev[left] as number, left);
      push(left, after);
    }
    for (let i = 0; i >= 0; i = next[i] as number) {
      this.lookup(text, starts[i] as number, ends[i] as number, out);
    }
  }
}
