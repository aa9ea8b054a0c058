import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { createRng, nextSeed } from '../utils/random.js';

/** One element: a tensor (or number), or arrays / records of them, nested. */
export type Element = tf.Tensor | number | Element[] | { [key: string]: Element };

/** An element with every tensor leaf replaced by a tf.TensorLike (what fromTensorSlices accepts). */
export type SliceSource =
  | tf.Tensor
  | tf.TensorLike
  | SliceSource[]
  | { [key: string]: SliceSource };

type Source<T> = () => AsyncIterator<T>;

const isRecord = (x: unknown): x is Record<string, Element> =>
  typeof x === 'object' && x !== null && !(x instanceof tf.Tensor) && !Array.isArray(x);

/** Applies `fn` to every leaf, keeping the structure. */
function mapLeaves(
  x: Element,
  fn: (leaf: tf.Tensor | number, path: string) => Element,
  path = '',
): Element {
  if (x instanceof tf.Tensor || typeof x === 'number') return fn(x, path);
  if (Array.isArray(x)) return x.map((v, i) => mapLeaves(v, fn, `${path}[${i}]`));
  const out: Record<string, Element> = {};
  for (const [k, v] of Object.entries(x)) out[k] = mapLeaves(v, fn, `${path}.${k}`);
  return out;
}

/** The tensors of an element. */
export function tensorsOf(x: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (x instanceof tf.Tensor) out.push(x);
  else if (Array.isArray(x)) for (const v of x) tensorsOf(v, out);
  else if (isRecord(x)) for (const v of Object.values(x)) tensorsOf(v, out);
  return out;
}

/** Disposes the tensors of `input` that do not appear in `output`. */
function disposeUnused(input: unknown, output: unknown): void {
  const keep = new Set(tensorsOf(output));
  for (const t of tensorsOf(input)) if (!keep.has(t)) t.dispose();
}

/** The leaves of a batch of same-structured elements, stacked along a new first axis. */
function stack(elements: Element[]): Element {
  const first = elements[0]!;
  if (first instanceof tf.Tensor) return tf.stack(elements as tf.Tensor[]);
  if (typeof first === 'number') return tf.tensor1d(elements as number[]);
  if (Array.isArray(first))
    return first.map((_, i) => stack(elements.map((e) => (e as Element[])[i]!)));
  const out: Record<string, Element> = {};
  for (const key of Object.keys(first))
    out[key] = stack(elements.map((e) => (e as Record<string, Element>)[key]!));
  return out;
}

/** The first-axis size shared by every leaf (tensors sliced by fromTensorSlices / unbatch). */
function leadingSize(x: Element, who: string): number {
  const sizes = new Set<number>();
  mapLeaves(x, (leaf) => {
    if (typeof leaf === 'number' || leaf.rank === 0) {
      throw new ValueError(
        `${who}: every component needs a first axis to slice; received a scalar.`,
      );
    }
    sizes.add(leaf.shape[0]!);
    return leaf;
  });
  if (sizes.size !== 1) {
    throw new ValueError(
      `${who}: all components must have the same first dimension. Received sizes ${[...sizes].join(', ')}.`,
    );
  }
  return [...sizes][0]!;
}

/** Row `i` of every leaf (a new tensor each). */
function sliceAt(x: Element, i: number): Element {
  return mapLeaves(x, (leaf) => {
    const t = leaf as tf.Tensor;
    return tf.tidy(() =>
      tf.squeeze(tf.slice(t, [i, ...new Array(t.rank - 1).fill(0)], [1, ...t.shape.slice(1)]), [0]),
    );
  });
}

/** Deep clone of an element's tensors (the clone is owned by the caller). */
function cloneElement<T>(x: T): T {
  return mapLeaves(x as Element, (leaf) =>
    leaf instanceof tf.Tensor ? tf.clone(leaf) : leaf,
  ) as T;
}

/**
 * A lazy, re-iterable pipeline of elements (Keras / tf.data `Dataset`), streamed one element at a
 * time so the whole set is never materialised: `fit`, `evaluate` and `predict` accept a Dataset of
 * `[x, y]` or `[x, y, sampleWeight]` batches.
 *
 * Ownership: each element a Dataset yields is new and belongs to whoever consumes it; each stage
 * (map, filter, batch, skip, ...) disposes the input tensors it does not pass on. `fromTensorSlices`
 * and `cache` keep their own source tensors (call `dispose()` on them when done).
 *
 * @example
 * const ds = data.Dataset.fromTensorSlices([x, y]).shuffle(1000, { seed: 1 }).batch(32).prefetch(2);
 * for await (const [xb, yb] of ds) { ...; tf.dispose([xb, yb]); }
 */
export class Dataset<T extends Element = Element> implements AsyncIterable<T> {
  readonly #source: Source<T>;
  readonly #owned: tf.Tensor[];

  protected constructor(source: Source<T>, owned: tf.Tensor[] = []) {
    this.#source = source;
    this.#owned = owned;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.#source();
  }

  /**
   * A dataset of the rows of `x` along its first axis; `x` may be a tensor, nested arrays of
   * numbers, or arrays / records of them (all with the same first dimension). The dataset keeps one
   * copy of the data (`dispose()` frees it).
   */
  static fromTensorSlices(x: tf.Tensor | tf.TensorLike): Dataset<tf.Tensor>;
  static fromTensorSlices(x: (tf.Tensor | tf.TensorLike)[]): Dataset<tf.Tensor[]>;
  static fromTensorSlices(
    x: Record<string, tf.Tensor | tf.TensorLike>,
  ): Dataset<Record<string, tf.Tensor>>;
  static fromTensorSlices(x: SliceSource): Dataset<Element>;
  static fromTensorSlices(x: SliceSource): Dataset<Element> {
    const tensors = toTensors(x);
    const n = leadingSize(tensors, 'Dataset.fromTensorSlices');
    return new Dataset<Element>(async function* () {
      for (let i = 0; i < n; i++) yield sliceAt(tensors, i);
    }, tensorsOf(tensors));
  }

  /**
   * A dataset whose elements come from a (sync or async) generator function, called again for each
   * pass. Elements it yields are owned by the pipeline.
   */
  static fromGenerator<E extends Element>(
    generator: () => AsyncIterable<E> | Iterable<E>,
  ): Dataset<E> {
    return new Dataset<E>(() => {
      const iterable = generator();
      const asyncIt = (iterable as AsyncIterable<E>)[Symbol.asyncIterator];
      if (asyncIt) return asyncIt.call(iterable);
      const it = (iterable as Iterable<E>)[Symbol.iterator]();
      return {
        next: async () => it.next(),
        return: async (v?: unknown) => it.return?.(v) ?? { done: true, value: v },
      } as AsyncIterator<E>;
    });
  }

  /** Elements of each dataset side by side (`[a, b]` or `{ a, b }`), until the shortest ends. */
  static zip<D extends Dataset[] | Record<string, Dataset>>(
    datasets: D,
  ): Dataset<ZippedElement<D>> {
    const entries = Object.entries(datasets) as [string, Dataset][];
    const asArray = Array.isArray(datasets);
    return new Dataset<ZippedElement<D>>(async function* () {
      const iterators = entries.map(([, d]) => d[Symbol.asyncIterator]());
      try {
        for (;;) {
          const results = await Promise.all(iterators.map((it) => it.next()));
          if (results.some((r) => r.done)) {
            for (const r of results) if (!r.done) disposeUnused(r.value, undefined);
            return;
          }
          if (asArray) yield results.map((r) => r.value) as ZippedElement<D>;
          else
            yield Object.fromEntries(
              entries.map(([k], i) => [k, results[i]!.value]),
            ) as ZippedElement<D>;
        }
      } finally {
        await Promise.all(iterators.map((it) => it.return?.()));
      }
    } as unknown as Source<ZippedElement<D>>);
  }

  #derive<U extends Element>(
    generator: (upstream: AsyncIterable<T>) => AsyncGenerator<U>,
  ): Dataset<U> {
    return new Dataset<U>(() => generator(this));
  }

  /** Applies `fn` to each element (inside a tidy); input tensors not in the output are disposed. */
  map<U extends Element>(fn: (x: T) => U): Dataset<U> {
    return this.#derive(async function* (upstream) {
      for await (const x of upstream) {
        const y = tf.tidy(() => fn(x) as tf.TensorContainer) as unknown as U;
        disposeUnused(x, y);
        yield y;
      }
    });
  }

  /** Keeps the elements for which `predicate` is true (rejected elements are disposed). */
  filter(predicate: (x: T) => boolean | tf.Tensor): Dataset<T> {
    return this.#derive(async function* (upstream) {
      for await (const x of upstream) {
        const verdict = predicate(x);
        let keep: boolean;
        if (verdict instanceof tf.Tensor) {
          keep = verdict.dataSync()[0] !== 0;
          if (!tensorsOf(x).includes(verdict)) verdict.dispose();
        } else keep = verdict;
        if (keep) yield x;
        else disposeUnused(x, undefined);
      }
    });
  }

  /** Groups `batchSize` consecutive elements, stacking each component along a new first axis. */
  batch(
    batchSize: number,
    { dropRemainder = false }: { dropRemainder?: boolean } = {},
  ): Dataset<BatchedElement<T>> {
    if (!(Number.isInteger(batchSize) && batchSize > 0)) {
      throw new ValueError(
        `Dataset.batch: batchSize must be a positive integer. Received: batchSize=${batchSize}.`,
      );
    }
    return this.#derive(async function* (upstream) {
      let pending: T[] = [];
      const flush = () => {
        const out = stack(pending) as BatchedElement<T>;
        for (const e of pending) disposeUnused(e, undefined);
        pending = [];
        return out;
      };
      for await (const x of upstream) {
        pending.push(x);
        if (pending.length === batchSize) yield flush();
      }
      if (pending.length > 0) {
        if (dropRemainder) {
          for (const e of pending) disposeUnused(e, undefined);
        } else yield flush();
      }
    });
  }

  /** Splits each batch element back into its rows. */
  unbatch(): Dataset<Element> {
    return this.#derive(async function* (upstream) {
      for await (const x of upstream) {
        const n = leadingSize(x, 'Dataset.unbatch');
        try {
          for (let i = 0; i < n; i++) yield sliceAt(x, i);
        } finally {
          disposeUnused(x, undefined);
        }
      }
    });
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements (a full shuffle when it covers the dataset).
   * `seed` makes the order reproducible (default: the global `utils.setRandomSeed` stream);
   * `reshuffleEachIteration` draws a new order on each pass.
   */
  shuffle(
    bufferSize: number,
    {
      seed,
      reshuffleEachIteration = true,
    }: { seed?: number; reshuffleEachIteration?: boolean } = {},
  ): Dataset<T> {
    if (!(Number.isInteger(bufferSize) && bufferSize > 0)) {
      throw new ValueError(
        `Dataset.shuffle: bufferSize must be a positive integer. Received: bufferSize=${bufferSize}.`,
      );
    }
    const base = seed ?? nextSeed();
    let pass = 0;
    return this.#derive(async function* (upstream) {
      const rng = createRng((base + (reshuffleEachIteration ? pass++ * 0x9e3779b1 : 0)) >>> 0);
      const buffer: T[] = [];
      for await (const x of upstream) {
        if (buffer.length < bufferSize) {
          buffer.push(x);
          continue;
        }
        const i = Math.floor(rng() * bufferSize);
        const out = buffer[i]!;
        buffer[i] = x;
        yield out;
      }
      while (buffer.length > 0) {
        const i = Math.floor(rng() * buffer.length);
        const out = buffer[i]!;
        buffer[i] = buffer[buffer.length - 1]!;
        buffer.pop();
        yield out;
      }
    });
  }

  /** Repeats the dataset `count` times (forever when omitted). */
  repeat(count?: number): Dataset<T> {
    const self = this;
    return this.#derive(async function* () {
      for (let i = 0; count === undefined || i < count; i++) {
        let any = false;
        for await (const x of self) {
          any = true;
          yield x;
        }
        if (!any) return;
      }
    });
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    return this.#derive(async function* (upstream) {
      if (count <= 0) return;
      let i = 0;
      for await (const x of upstream) {
        yield x;
        if (++i >= count) return;
      }
    });
  }

  /** Everything after the first `count` elements (which are disposed). */
  skip(count: number): Dataset<T> {
    return this.#derive(async function* (upstream) {
      let i = 0;
      for await (const x of upstream) {
        if (i++ < count) disposeUnused(x, undefined);
        else yield x;
      }
    });
  }

  /** Elements of this dataset, then of `other`. */
  concatenate(other: Dataset<T>): Dataset<T> {
    const self = this;
    return this.#derive(async function* () {
      yield* self;
      yield* other;
    });
  }

  /**
   * Reads up to `bufferSize` elements ahead of the consumer, so that producing the next element
   * (e.g. an async generator reading files) overlaps with consuming this one.
   */
  prefetch(bufferSize = 1): Dataset<T> {
    return new Dataset<T>(() => {
      const it = this[Symbol.asyncIterator]();
      const queue: Promise<IteratorResult<T>>[] = [];
      const fill = () => {
        while (queue.length < bufferSize + 1) queue.push(it.next());
      };
      return {
        next: async () => {
          fill();
          const result = await queue.shift()!;
          if (!result.done) fill();
          return result;
        },
        return: async (value?: unknown) => {
          for (const pending of queue.splice(0)) {
            const r = await pending;
            if (!r.done) disposeUnused(r.value, undefined);
          }
          await it.return?.();
          return { done: true, value } as IteratorResult<T>;
        },
      };
    });
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays copies of them afterwards
   * (`dispose()` frees the cache).
   */
  cache(): Dataset<T> {
    const self = this;
    let cached: T[] | null = null;
    const owned: tf.Tensor[] = [];
    const dataset = new Dataset<T>(
      async function* () {
        if (cached) {
          for (const x of cached) yield cloneElement(x);
          return;
        }
        const filling: T[] = [];
        for await (const x of self) {
          const copy = cloneElement(x);
          filling.push(copy);
          yield x;
        }
        cached = filling;
        owned.push(...tensorsOf(filling));
      } as unknown as Source<T>,
      owned,
    );
    return dataset;
  }

  /** Every element, in order (the caller owns them). */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const x of this) out.push(x);
    return out;
  }

  /** Calls `fn` on each element, then disposes it. */
  async forEachAsync(fn: (x: T) => void | Promise<void>): Promise<void> {
    for await (const x of this) {
      try {
        await fn(x);
      } finally {
        disposeUnused(x, undefined);
      }
    }
  }

  /** Frees the tensors this dataset keeps (fromTensorSlices data, cache). */
  dispose(): void {
    for (const t of this.#owned.splice(0)) t.dispose();
  }
}

/** Converts number arrays to tensors, keeping the structure (arrays of arrays of numbers are one tensor). */
function toTensors(x: SliceSource): Element {
  if (x instanceof tf.Tensor) return tf.clone(x);
  if (isNumeric(x)) return tf.tensor(x as tf.TensorLike);
  if (Array.isArray(x)) return x.map((v) => toTensors(v as SliceSource));
  if (typeof x === 'object' && x !== null && !ArrayBuffer.isView(x)) {
    const out: Record<string, Element> = {};
    for (const [k, v] of Object.entries(x)) out[k] = toTensors(v as SliceSource);
    return out;
  }
  return tf.tensor(x as tf.TensorLike);
}

function isNumeric(x: unknown): boolean {
  if (typeof x === 'number' || typeof x === 'boolean' || ArrayBuffer.isView(x)) return true;
  return Array.isArray(x) && x.length > 0 && isNumeric(x[0]);
}

/** Element type after `batch`: number elements become tensors; structures keep their type. */
export type BatchedElement<T> = T extends number ? tf.Tensor : T;

/** Element type of `zip`. */
export type ZippedElement<D> = {
  [K in keyof D]: D[K] extends Dataset<infer E> ? E : never;
} & Element;
