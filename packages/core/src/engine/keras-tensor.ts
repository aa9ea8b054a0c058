import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from './input-spec.js';
import type { Node } from './node.js';

let tensorCounter = 0;

/**
 * A symbolic tensor: a shape (null = unknown), a dtype and the node that made it. `Input()`
 * returns one, `layer.apply(kerasTensor)` returns new ones; no values exist.
 */
export class KerasTensor {
  readonly shape: Shape;
  readonly dtype: tf.DataType;
  readonly name: string;
  /** The node (layer call) that produced it, and its position among that node's outputs. */
  node?: Node;
  tensorIndex = 0;
  /** Symbolic mask, when the producing layer computes one. */
  mask?: KerasTensor | null;

  constructor(shape: Shape, dtype: tf.DataType = 'float32', name?: string) {
    this.shape = [...shape];
    this.dtype = dtype;
    tensorCounter += 1;
    this.name = name ?? `keras_tensor_${tensorCounter}`;
  }

  get rank(): number {
    return this.shape.length;
  }

  /** `[layerName, nodeIndex, tensorIndex]` (Keras's `_keras_history`). */
  get kerasHistory(): [string, number, number] | undefined {
    if (!this.node) return undefined;
    return [
      this.node.layer.name,
      this.node.layer.inboundNodes.indexOf(this.node),
      this.tensorIndex,
    ];
  }

  toString(): string {
    return `<KerasTensor shape=${JSON.stringify(this.shape)}, dtype=${this.dtype}, name=${this.name}>`;
  }
}

/** True for a `KerasTensor`. */
export function isKerasTensor(x: unknown): x is KerasTensor {
  return x instanceof KerasTensor;
}
