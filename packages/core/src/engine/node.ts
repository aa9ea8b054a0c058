import { KerasTensor } from './keras-tensor.js';
import type { Layer } from './layer.js';

/** The keyword arguments recorded with a symbolic call (KerasTensors inside are graph inputs too). */
export type NodeCallArgs = Record<string, unknown>;

/**
 * One symbolic call of a layer: `layer.apply(inputs, callArgs)` on KerasTensors. Functional models
 * walk these nodes from their outputs back to their inputs.
 */
export class Node {
  readonly layer: Layer;
  /** The inputs as passed: one tensor or a list. */
  readonly inputs: KerasTensor | KerasTensor[];
  readonly outputs: KerasTensor[];
  /** Whether the layer returned a list (rather than one tensor). */
  readonly outputsIsList: boolean;
  readonly callArgs: NodeCallArgs;

  constructor(
    layer: Layer,
    inputs: KerasTensor | KerasTensor[],
    outputs: KerasTensor[],
    outputsIsList: boolean,
    callArgs: NodeCallArgs,
  ) {
    this.layer = layer;
    this.inputs = inputs;
    this.outputs = outputs;
    this.outputsIsList = outputsIsList;
    this.callArgs = callArgs;
    outputs.forEach((t, i) => {
      t.node = this;
      t.tensorIndex = i;
    });
    layer.inboundNodes.push(this);
  }

  /** Every KerasTensor this node depends on: its inputs, then KerasTensors among its call args. */
  get inputTensors(): KerasTensor[] {
    const flat = Array.isArray(this.inputs) ? [...this.inputs] : [this.inputs];
    for (const value of Object.values(this.callArgs)) flat.push(...collectKerasTensors(value));
    return flat;
  }

  /** The nodes that produced this node's inputs. */
  get parentNodes(): Node[] {
    const parents: Node[] = [];
    for (const t of this.inputTensors)
      if (t.node && !parents.includes(t.node)) parents.push(t.node);
    return parents;
  }

  /** True for the node of an `InputLayer`. */
  get isInput(): boolean {
    return (this.layer.constructor as { className?: string }).className === 'InputLayer';
  }
}

function collectKerasTensors(value: unknown): KerasTensor[] {
  if (value && typeof value === 'object') {
    if (value instanceof KerasTensor) return [value];
    if (Array.isArray(value)) return value.flatMap(collectKerasTensors);
  }
  return [];
}
