/**
 * Keras 3 writes some operations of a Functional graph as pseudo-layers (`module:
 * 'keras.src.ops.numpy'`), e.g. the `NotEqual(tokens, 0)` that computes an Embedding mask passed
 * explicitly to the next layer. These small layers rebuild them; the non-tensor positional
 * arguments Keras stores in the inbound node (`args: [tensor, 0]`) are lifted into the layer's
 * config by `liftOperationArgs` before the graph is rebuilt.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Layer, type LayerArgs } from '../engine/layer.js';
import {
  type Config,
  type ConfigValue,
  registerKerasClass,
  type SerializableClass,
} from './registry.js';

interface OperationArgs extends LayerArgs {
  /** The non-tensor operand (the `0` of `not_equal(x, 0)`). */
  other?: number;
}

type BinaryFn = (a: tf.Tensor, b: number) => tf.Tensor;

function makeOperation(className: string, fn: BinaryFn): SerializableClass {
  class Operation extends Layer {
    static override readonly className = className;
    readonly other: number;
    constructor({ other = 0, ...args }: OperationArgs = {}) {
      super(args);
      this.other = other;
    }
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      return fn(x, this.other);
    }
    override getConfig(): Config {
      return { ...super.getConfig(), other: this.other };
    }
  }
  return registerKerasClass('keras.src.ops.numpy', Operation as unknown as SerializableClass);
}

makeOperation('NotEqual', (a, b) => tf.notEqual(a, tf.scalar(b, a.dtype)));
makeOperation('Equal', (a, b) => tf.equal(a, tf.scalar(b, a.dtype)));
makeOperation('Greater', (a, b) => tf.greater(a, tf.scalar(b, a.dtype)));
makeOperation('Less', (a, b) => tf.less(a, tf.scalar(b, a.dtype)));

function isTensorRef(v: ConfigValue | undefined): boolean {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && v.class_name === '__keras_tensor__'
  );
}

/**
 * For operation pseudo-layers in a Functional config (recursively), moves a trailing numeric
 * positional argument of their inbound nodes into `config.other`. Returns a new dict.
 */
export function liftOperationArgs(dict: Config): Config {
  const config = dict.config as Config | undefined;
  if (!config || !Array.isArray(config.layers)) return dict;
  const layers = (config.layers as Config[]).map((layer) => {
    const lifted = liftOperationArgs(layer);
    const module = typeof lifted.module === 'string' ? lifted.module : '';
    const nodes = lifted.inbound_nodes;
    if (!module.startsWith('keras.src.ops') || !Array.isArray(nodes)) return lifted;
    let other: number | undefined;
    const newNodes = nodes.map((node) => {
      const n = node as Config;
      const args = Array.isArray(n.args) ? n.args : [];
      if (args.length === 2 && isTensorRef(args[0]) && typeof args[1] === 'number') {
        other = args[1];
        return { ...n, args: [args[0] as ConfigValue] };
      }
      return n;
    });
    if (other === undefined) return lifted;
    return { ...lifted, config: { ...(lifted.config as Config), other }, inbound_nodes: newNodes };
  });
  return { ...dict, config: { ...config, layers } };
}

/**
 * The reverse of `liftOperationArgs` for writing: operation pseudo-layers get Keras's config
 * (`{ name }`, `registered_name` = class name) and their operand back as a positional argument.
 */
export function lowerOperationArgs(dict: Config): Config {
  const config = dict.config as Config | undefined;
  if (!config || !Array.isArray(config.layers)) return dict;
  const layers = (config.layers as Config[]).map((layer) => {
    const lowered = lowerOperationArgs(layer);
    const inner = lowered.config as Config | undefined;
    if (lowered.module !== 'keras.src.ops.numpy' || !inner || typeof inner.other !== 'number')
      return lowered;
    const other = inner.other;
    const nodes = Array.isArray(lowered.inbound_nodes) ? lowered.inbound_nodes : [];
    const { build_config: _unused, ...rest } = lowered;
    return {
      ...rest,
      config: { name: inner.name ?? null },
      registered_name: lowered.class_name ?? null,
      inbound_nodes: nodes.map((node) => {
        const n = node as Config;
        const args = Array.isArray(n.args) ? n.args : [];
        return { ...n, args: [...args, other] };
      }),
    };
  });
  return { ...dict, config: { ...config, layers } };
}

/** Keras layers whose `call` takes `(query, value, key=None)` as separate arguments. */
const QUERY_VALUE_LAYERS = new Set([
  'MultiHeadAttention',
  'GroupQueryAttention',
  'GroupedQueryAttention',
]);

function mapNodes(dict: Config, fn: (className: string, node: Config) => Config): Config {
  const config = dict.config as Config | undefined;
  if (!config || !Array.isArray(config.layers)) return dict;
  const layers = (config.layers as Config[]).map((layer) => {
    const inner = mapNodes(layer, fn);
    if (!Array.isArray(inner.inbound_nodes)) return inner;
    return {
      ...inner,
      inbound_nodes: inner.inbound_nodes.map((n) => fn(String(inner.class_name), n as Config)),
    };
  });
  return { ...dict, config: { ...config, layers } };
}

/**
 * Reading: Keras nodes pass several tensors as separate positional arguments (`mha(query, value)`,
 * with `key` as a keyword); Cornu layers take them as one list (`[query, value, key]`).
 */
export function joinPositionalTensors(dict: Config): Config {
  return mapNodes(dict, (className, node) => {
    const args = Array.isArray(node.args) ? node.args : [];
    const kwargs = { ...((node.kwargs ?? {}) as Config) };
    if (args.length < 2 || !args.every(isTensorRef)) return node;
    const tensors: ConfigValue[] = [...args];
    if (QUERY_VALUE_LAYERS.has(className) && isTensorRef(kwargs.key)) {
      tensors.push(kwargs.key as ConfigValue);
      delete kwargs.key;
    }
    return { ...node, args: [tensors], kwargs };
  });
}

/** Writing: the reverse for query/value layers: `args: [query, value]`, `kwargs.key` (value defaults to query). */
export function splitQueryValueTensors(dict: Config): Config {
  return mapNodes(dict, (className, node) => {
    if (!QUERY_VALUE_LAYERS.has(className)) return node;
    const args = Array.isArray(node.args) ? node.args : [];
    const first = args[0];
    const tensors = Array.isArray(first) ? first : [first];
    if (!tensors.every((t) => isTensorRef(t as ConfigValue))) return node;
    const [query, value = query, key] = tensors as ConfigValue[];
    const kwargs = { ...((node.kwargs ?? {}) as Config) };
    if (key !== undefined) kwargs.key = key;
    return {
      ...node,
      args: [query as ConfigValue, value as ConfigValue, ...args.slice(1)],
      kwargs,
    };
  });
}
