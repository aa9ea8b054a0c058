import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import {
  type Config,
  type ConfigValue,
  deserializeKerasObject,
  type KerasObjectDict,
  type SerializableClass,
  serializeKerasObject,
} from '../saving/registry.js';
import { InputLayer } from './input-layer.js';
import { isKerasTensor, type KerasTensor } from './keras-tensor.js';
import { type ApplyArgs, configToArgs, type Layer } from './layer.js';
import { getMask, type Mask, setMask } from './mask.js';
import { formatShape } from './naming.js';
import type { Node } from './node.js';

/**
 * The layer graph of a Functional model: inputs (InputLayer outputs), outputs, the nodes between
 * them in execution order, and the layers in Keras's order (by decreasing depth).
 */
export class FunctionalGraph {
  readonly inputs: KerasTensor[];
  readonly outputs: KerasTensor[];
  readonly inputsIsList: boolean;
  readonly outputsIsList: boolean;
  /** Nodes in execution order (input nodes excluded). */
  readonly nodes: Node[];
  /** Every node of the graph, input nodes included. */
  readonly nodeSet: Set<Node>;
  /** Layers in Keras order: by decreasing depth, input layers first. */
  readonly layers: Layer[];

  constructor(
    inputs: KerasTensor | KerasTensor[],
    outputs: KerasTensor | KerasTensor[],
    who = 'Model',
  ) {
    this.inputsIsList = Array.isArray(inputs);
    this.outputsIsList = Array.isArray(outputs);
    this.inputs = Array.isArray(inputs) ? [...inputs] : [inputs];
    this.outputs = Array.isArray(outputs) ? [...outputs] : [outputs];
    for (const [kind, list] of [
      ['inputs', this.inputs],
      ['outputs', this.outputs],
    ] as const) {
      list.forEach((t, i) => {
        if (!isKerasTensor(t)) {
          throw new ValueError(
            `${who}: ${kind}[${i}] must be a KerasTensor (from Input() or layer.apply(kerasTensor)), received ${String(t)}.`,
          );
        }
      });
    }
    this.inputs.forEach((t, i) => {
      if (!(t.node?.layer instanceof InputLayer)) {
        throw new ValueError(
          `${who}: inputs[${i}] (${t.name}) must come from Input(); received the output of ${t.node ? `layer '${t.node.layer.name}'` : 'no layer'}.`,
        );
      }
    });

    const finished = new Set<Node>();
    const inProgress = new Set<Node>();
    const order: Node[] = [];
    const layerIndices = new Map<Layer, number>();
    const inputSet = new Set(this.inputs);
    const visit = (tensor: KerasTensor, consumer: string): void => {
      const node = tensor.node;
      if (!node)
        throw new ValueError(
          `${who}: tensor ${tensor.name} used by ${consumer} was not produced by a layer.`,
        );
      if (finished.has(node)) return;
      if (inProgress.has(node))
        throw new ValueError(`${who}: the graph has a cycle at layer '${node.layer.name}'.`);
      if (!layerIndices.has(node.layer)) layerIndices.set(node.layer, layerIndices.size);
      inProgress.add(node);
      if (node.layer instanceof InputLayer) {
        if (!inputSet.has(tensor)) {
          throw new ValueError(
            `${who}: graph disconnected: cannot obtain the value of input '${node.layer.name}' (shape ${formatShape(tensor.shape)}) needed by ${consumer}. Fix: add it to the model's inputs.`,
          );
        }
      } else {
        for (const t of node.inputTensors) visit(t, `layer '${node.layer.name}'`);
      }
      inProgress.delete(node);
      finished.add(node);
      order.push(node);
    };
    this.outputs.forEach((t, i) => {
      visit(t, `outputs[${i}]`);
    });
    for (const t of this.inputs) {
      if (t.node && !finished.has(t.node)) {
        finished.add(t.node);
        order.unshift(t.node);
        layerIndices.set(t.node.layer, -1);
      }
    }
    this.nodeSet = finished;
    this.nodes = order.filter((n) => !(n.layer instanceof InputLayer));

    // Keras's depth rule: outputs at depth 0, a node's parents one deeper, a layer at its deepest node.
    const nodeDepth = new Map<Node, number>();
    const layerDepth = new Map<Layer, number>();
    for (const node of [...order].reverse()) {
      let depth = nodeDepth.get(node) ?? 0;
      depth = Math.max(depth, layerDepth.get(node.layer) ?? 0);
      layerDepth.set(node.layer, depth);
      nodeDepth.set(node, depth);
      for (const parent of node.parentNodes) {
        nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
      }
    }
    this.layers = [...layerDepth.keys()].sort((a, b) => {
      const d = (layerDepth.get(b) ?? 0) - (layerDepth.get(a) ?? 0);
      return d !== 0 ? d : (layerIndices.get(a) ?? 0) - (layerIndices.get(b) ?? 0);
    });
    const names = new Set<string>();
    for (const layer of this.layers) {
      if (names.has(layer.name)) {
        throw new ValueError(
          `${who}: layer names must be unique within a model; '${layer.name}' is used by two different layers.`,
        );
      }
      names.add(layer.name);
    }
  }

  /** Index of `node` among its layer's nodes that belong to this graph (Keras's config node index). */
  nodeIndex(node: Node): number {
    return node.layer.inboundNodes.filter((n) => this.nodeSet.has(n)).indexOf(node);
  }

  /** The `[layerName, nodeIndex, tensorIndex]` of a graph tensor. */
  history(t: KerasTensor): [string, number, number] {
    const node = t.node as Node;
    return [node.layer.name, this.nodeIndex(node), t.tensorIndex];
  }

  /**
   * Runs the graph on real tensors (one per input). Intermediates are disposed; the outputs and
   * their masks are kept (masks attached with `setMask`).
   */
  run(
    inputs: tf.Tensor[],
    args: { training?: boolean; mask?: Mask | Mask[] },
    who = 'Model',
  ): tf.Tensor[] {
    if (inputs.length !== this.inputs.length) {
      throw new ValueError(
        `${who}: expected ${this.inputs.length} inputs (${this.inputs.map((t) => t.name).join(', ')}), received ${inputs.length}.`,
      );
    }
    const inputMasks =
      args.mask === undefined || args.mask === null
        ? []
        : Array.isArray(args.mask)
          ? args.mask
          : [args.mask];
    let maskCount = 0;
    let maskSlots: boolean[] = [];
    const kept = tf.tidy(() => {
      const values = new Map<KerasTensor, tf.Tensor>();
      const masks = new Map<KerasTensor, Mask>();
      this.inputs.forEach((t, i) => {
        const value = inputs[i] as tf.Tensor;
        values.set(t, value);
        masks.set(t, inputMasks[i] ?? getMask(value));
      });
      const resolve = (t: KerasTensor): tf.Tensor => {
        const v = values.get(t);
        if (!v)
          throw new ValueError(
            `${who}: no value for tensor ${t.name} (internal graph order error).`,
          );
        return v;
      };
      for (const node of this.nodes) {
        const nodeInputs = Array.isArray(node.inputs)
          ? node.inputs.map(resolve)
          : resolve(node.inputs);
        const callArgs: ApplyArgs = {};
        for (const [key, value] of Object.entries(node.callArgs)) {
          if (isKerasTensor(value)) callArgs[key] = resolve(value);
          else if (Array.isArray(value) && value.some(isKerasTensor)) {
            callArgs[key] = value.map((v) => (isKerasTensor(v) ? resolve(v) : v));
          } else callArgs[key] = value;
        }
        if (callArgs.training === undefined && args.training !== undefined)
          callArgs.training = args.training;
        if (callArgs.mask === undefined) {
          const flat = Array.isArray(node.inputs) ? node.inputs : [node.inputs];
          const m = flat.map((t) => masks.get(t) ?? null);
          if (m.some((x) => x !== null))
            callArgs.mask = Array.isArray(node.inputs) ? m : (m[0] as Mask);
        }
        const out = node.layer.apply(nodeInputs, callArgs) as tf.Tensor | tf.Tensor[];
        const outs = Array.isArray(out) ? out : [out];
        node.outputs.forEach((t, i) => {
          const value = outs[i];
          if (!value) {
            throw new ValueError(
              `Layer '${node.layer.name}' returned ${outs.length} outputs, but the graph expects ${node.outputs.length}.`,
            );
          }
          values.set(t, value);
          masks.set(t, getMask(value));
        });
      }
      const outputs = this.outputs.map(resolve);
      const outputMasks = this.outputs.map((t) => masks.get(t) ?? null);
      maskSlots = outputMasks.map((m) => m !== null);
      const present = outputMasks.filter((m): m is tf.Tensor => m !== null);
      maskCount = present.length;
      return [...outputs, ...present];
    });
    const outputs = kept.slice(0, kept.length - maskCount);
    let next = outputs.length;
    outputs.forEach((o, i) => {
      if (maskSlots[i]) setMask(o, kept[next++] as tf.Tensor);
    });
    return outputs;
  }

  /** Keras 3 Functional config: `{ name, trainable, layers, input_layers, output_layers }`. */
  getConfig(name: string, trainable: boolean): Config {
    const serializeTensor = (t: KerasTensor): ConfigValue => ({
      class_name: '__keras_tensor__',
      config: { shape: t.shape, dtype: t.dtype, keras_history: this.history(t) },
    });
    const serializeValue = (v: unknown): ConfigValue => {
      if (isKerasTensor(v)) return serializeTensor(v);
      if (Array.isArray(v)) return v.map(serializeValue);
      if (v === undefined) return null;
      return v as ConfigValue;
    };
    const layers = this.layers.map((layer) => {
      const dict = serializeKerasObject(layer) as unknown as Config;
      dict.name = layer.name;
      dict.inbound_nodes =
        layer instanceof InputLayer
          ? []
          : layer.inboundNodes
              .filter((n) => this.nodeSet.has(n))
              .map((node) => {
                const kwargs: Config = {};
                for (const [key, value] of Object.entries(node.callArgs)) {
                  if (value !== undefined)
                    kwargs[key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()] =
                      serializeValue(value);
                }
                return { args: [serializeValue(node.inputs)], kwargs };
              });
      return dict;
    });
    // Keras's structure: a flat triple for a model given one tensor, a list for a list.
    const refs = (list: KerasTensor[], isList: boolean): ConfigValue =>
      isList ? list.map((t) => this.history(t)) : this.history(list[0] as KerasTensor);
    return {
      name,
      trainable,
      layers,
      input_layers: refs(this.inputs, this.inputsIsList),
      output_layers: refs(this.outputs, this.outputsIsList),
    };
  }

  /**
   * Rebuilds layers and graph from a Keras 3 Functional config; returns the inputs and outputs to
   * pass to `new Model(...)`.
   */
  static fromConfig(
    config: Config,
    customObjects: Record<string, SerializableClass> = {},
  ): {
    inputs: KerasTensor | KerasTensor[];
    outputs: KerasTensor | KerasTensor[];
    name?: string;
    trainable?: boolean;
  } {
    const layerDicts = (config.layers ?? []) as unknown as (KerasObjectDict & {
      name?: string;
      inbound_nodes?: ConfigValue[];
    })[];
    const created: { layer: Layer; nodes: ConfigValue[] }[] = [];
    const byName = new Map<string, Layer>();
    const tensors = new Map<string, KerasTensor>();
    for (const dict of layerDicts) {
      const layer = deserializeKerasObject<Layer>(dict, customObjects);
      byName.set(dict.name ?? layer.name, layer);
      if (layer instanceof InputLayer) tensors.set(`${layer.name}:0:0`, layer.output);
      created.push({ layer, nodes: [...(dict.inbound_nodes ?? [])] });
    }
    const nodeCount = new Map<Layer, number>();
    const missing = Symbol('missing');
    const decode = (value: ConfigValue): unknown => {
      if (Array.isArray(value)) {
        const list = value.map(decode);
        return list.includes(missing) ? missing : list;
      }
      if (value && typeof value === 'object' && value.class_name === '__keras_tensor__') {
        const history = (value.config as Config).keras_history as [string, number, number];
        return tensors.get(history.join(':')) ?? missing;
      }
      return value;
    };
    let progress = true;
    while (progress) {
      progress = false;
      for (const entry of created) {
        while (entry.nodes.length > 0) {
          const nodeData = entry.nodes[0] as Config;
          const args = decode((nodeData.args ?? []) as ConfigValue);
          const kwargs = decode((nodeData.kwargs ?? {}) as ConfigValue);
          const kwargValues =
            kwargs === missing
              ? missing
              : Object.values(configToArgs((nodeData.kwargs ?? {}) as Config)).map((v) =>
                  decode(v as ConfigValue),
                );
          if (
            args === missing ||
            kwargValues === missing ||
            (kwargValues as unknown[]).includes(missing)
          )
            break;
          const applyArgs: ApplyArgs = {};
          for (const [key, value] of Object.entries(
            configToArgs((nodeData.kwargs ?? {}) as Config),
          ))
            applyArgs[key] = decode(value as ConfigValue);
          const first = (args as unknown[])[0] as KerasTensor | KerasTensor[];
          const out = entry.layer.apply(first, applyArgs) as KerasTensor | KerasTensor[];
          const index = nodeCount.get(entry.layer) ?? 0;
          nodeCount.set(entry.layer, index + 1);
          (Array.isArray(out) ? out : [out]).forEach((t, i) => {
            tensors.set(`${entry.layer.name}:${index}:${i}`, t);
          });
          entry.nodes.shift();
          progress = true;
        }
      }
    }
    const stuck = created.filter((e) => e.nodes.length > 0).map((e) => e.layer.name);
    if (stuck.length > 0) {
      throw new ValueError(
        `Functional config: could not connect the inbound nodes of layers ${stuck.map((n) => `'${n}'`).join(', ')} (an input they reference is never produced).`,
      );
    }
    const lookup = (refs: ConfigValue | undefined, kind: string): KerasTensor | KerasTensor[] => {
      // Keras writes a model given one tensor as a flat [name, node, index] triple, and one given a
      // list as a list of triples (even of one); the structure comes back as it was.
      const single = Array.isArray(refs) && refs.length > 0 && !Array.isArray(refs[0]);
      const list = (single ? [refs] : (refs ?? [])) as [string, number, number][];
      const out = list.map((ref) => {
        const t = tensors.get(ref.join(':'));
        if (!t)
          throw new ValueError(
            `Functional config: ${kind} refers to ${JSON.stringify(ref)}, which no layer produces.`,
          );
        return t;
      });
      return single ? (out[0] as KerasTensor) : out;
    };
    const result: {
      inputs: KerasTensor | KerasTensor[];
      outputs: KerasTensor | KerasTensor[];
      name?: string;
      trainable?: boolean;
    } = {
      inputs: lookup(config.input_layers, 'input_layers'),
      outputs: lookup(config.output_layers, 'output_layers'),
    };
    if (typeof config.name === 'string') result.name = config.name;
    if (typeof config.trainable === 'boolean') result.trainable = config.trainable;
    return result;
  }
}
