/**
 * Keras config dialects in one place: Keras 2 (`tf.keras` / Keras 2.x `model_config`, also the
 * TF.js layers format) translated to the Keras 3 dicts Cornu's `fromConfig` reads.
 *
 * Differences handled: `class_name: 'Model'` -> `'Functional'`; a Sequential config that is a
 * bare layer list; `batch_input_shape` -> an `InputLayer`'s `batch_shape`; Keras 2 inbound nodes
 * (`[[name, nodeIndex, tensorIndex, kwargs], ...]`) -> Keras 3 `{ args, kwargs }` with
 * `__keras_tensor__` references; the Keras 2 `hard_sigmoid` (clip(0.2x + 0.5, 0, 1), Keras 3 uses
 * x/6 + 0.5); GRU's `reset_after` default (false before Keras 2.3/TF 2); initializer configs
 * without `module`; and keys Keras 3 removed (`implementation`, `time_major`).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ActivationFn } from '../activations/index.js';
import type { Config, ConfigValue } from './registry.js';

/** Keras 2's piecewise-linear hard sigmoid: clip(0.2x + 0.5, 0, 1). */
export const keras2HardSigmoid: ActivationFn = (x) =>
  tf.tidy(() => tf.clipByValue(tf.add(tf.mul(x, 0.2), 0.5), 0, 1));

/** Activation values that must not go through Keras 3's name table (functions kept by reference). */
export const keras2Activations = new Map<string, ActivationFn>([
  ['hard_sigmoid', keras2HardSigmoid],
]);

const ACTIVATION_KEYS = new Set(['activation', 'recurrent_activation']);
const DROPPED_KEYS = new Set(['implementation', 'time_major']);

/** Translates one Keras 2 layer dict (class_name, config) to Keras 3. */
function translateLayer(dict: Config): Config {
  const className = String(dict.class_name);
  const config = { ...((dict.config ?? {}) as Config) };
  for (const key of Object.keys(config)) {
    if (DROPPED_KEYS.has(key)) delete config[key];
    else if (
      ACTIVATION_KEYS.has(key) &&
      typeof config[key] === 'string' &&
      keras2Activations.has(config[key] as string)
    ) {
      // A function, not JSON: configToArgs hands it to the constructor as is.
      config[key] = keras2Activations.get(config[key] as string) as unknown as ConfigValue;
    } else {
      const value = config[key];
      if (
        value &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        typeof value.class_name === 'string'
      ) {
        config[key] = translateNested(value as Config);
      }
    }
  }
  if (className === 'GRU' && config.reset_after === undefined) config.reset_after = false;
  if (
    className === 'InputLayer' &&
    config.batch_input_shape !== undefined &&
    config.batch_shape === undefined
  ) {
    config.batch_shape = config.batch_input_shape;
    delete config.batch_input_shape;
  }
  if (className === 'Bidirectional' || className === 'TimeDistributed') {
    if (config.layer && typeof config.layer === 'object')
      config.layer = translateLayer(config.layer as Config) as ConfigValue;
  }
  const out: Config = {
    ...dict,
    module: (dict.module as ConfigValue) ?? null,
    class_name: className === 'Model' ? 'Functional' : className,
    config,
  };
  if (!('registered_name' in out)) out.registered_name = null;
  if (className === 'Sequential' || className === 'Model' || className === 'Functional') {
    return { ...out, ...keras2ModelToKeras3(dict) };
  }
  return out;
}

function translateNested(dict: Config): Config {
  const out: Config = {
    module: (dict.module as ConfigValue) ?? null,
    class_name: dict.class_name as string,
    config: (dict.config ?? {}) as Config,
    registered_name: (dict.registered_name as ConfigValue) ?? null,
  };
  const config = out.config as Config;
  if (dict.class_name === 'VarianceScaling' && config.distribution === 'normal')
    config.distribution = 'truncated_normal';
  return out;
}

function kerasTensorRef(ref: ConfigValue[]): ConfigValue {
  return {
    class_name: '__keras_tensor__',
    config: {
      shape: null,
      dtype: 'float32',
      keras_history: [ref[0] as ConfigValue, ref[1] as ConfigValue, ref[2] as ConfigValue],
    },
  };
}

/** Keras 2 inbound nodes -> Keras 3 node dicts. */
function translateInboundNodes(nodes: ConfigValue): ConfigValue {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((node) => {
    if (!Array.isArray(node)) return node; // already Keras 3
    const refs = node as ConfigValue[][];
    const kwargs = ((refs[0] as ConfigValue[] | undefined)?.[3] ?? {}) as Config;
    const tensors = refs.map((r) => kerasTensorRef(r));
    return { args: [tensors.length === 1 ? (tensors[0] as ConfigValue) : tensors], kwargs };
  });
}

/** Translates a Keras 2 (or TF.js) model dict `{ class_name, config }` to a Keras 3 dict. */
export function keras2ModelToKeras3(model: Config): Config {
  const className = String(model.class_name);
  if (className === 'Sequential') {
    const raw = model.config;
    const layers = (
      Array.isArray(raw) ? raw : (((raw as Config | undefined)?.layers ?? []) as ConfigValue[])
    ) as Config[];
    const name = Array.isArray(raw)
      ? 'sequential'
      : (((raw as Config).name as string | undefined) ?? 'sequential');
    const out: Config[] = [];
    layers.forEach((layer, i) => {
      const t = translateLayer(layer);
      const c = t.config as Config;
      if (i === 0 && t.class_name !== 'InputLayer' && Array.isArray(c.batch_input_shape)) {
        out.push({
          module: 'keras.layers',
          class_name: 'InputLayer',
          config: {
            batch_shape: c.batch_input_shape,
            dtype: (typeof c.dtype === 'string' ? c.dtype : 'float32') as ConfigValue,
            name: `${String(c.name)}_input`,
          },
          registered_name: null,
        });
      }
      delete c.batch_input_shape;
      out.push(t);
    });
    return {
      module: 'keras',
      class_name: 'Sequential',
      config: { name, layers: out as ConfigValue[] },
      registered_name: null,
    };
  }
  if (className === 'Model' || className === 'Functional') {
    const config = (model.config ?? {}) as Config;
    const layers = ((config.layers ?? []) as Config[]).map((layer) => {
      const t = translateLayer(layer);
      t.name = (layer.name as ConfigValue) ?? ((t.config as Config).name as ConfigValue);
      t.inbound_nodes = translateInboundNodes(layer.inbound_nodes ?? []);
      delete (t.config as Config).batch_input_shape;
      if (t.class_name === 'InputLayer') t.inbound_nodes = [];
      return t;
    });
    return {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: { ...config, layers: layers as ConfigValue[] },
      registered_name: null,
    };
  }
  return translateLayer(model);
}

/** A Keras 3 dtype (a name or a DTypePolicy dict) as the plain name Keras 2 / TF.js write. */
function plainDtype(value: ConfigValue | undefined): ConfigValue | undefined {
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    value.class_name === 'DTypePolicy'
  ) {
    return ((value.config as Config | undefined)?.name as ConfigValue) ?? 'float32';
  }
  return value;
}

function legacyNested(value: ConfigValue): ConfigValue {
  if (Array.isArray(value)) return value.map(legacyNested);
  if (value && typeof value === 'object') {
    if (typeof value.class_name === 'string' && value.config !== undefined) {
      return { class_name: value.class_name, config: legacyNested(value.config as ConfigValue) };
    }
    const out: Config = {};
    for (const [k, v] of Object.entries(value)) out[k] = legacyNested(v);
    return out;
  }
  return value;
}

function legacyLayer(dict: Config): Config {
  const className = String(dict.class_name);
  if (className === 'Sequential' || className === 'Functional' || className === 'Model')
    return keras3ModelToKeras2(dict);
  const config: Config = {};
  for (const [key, value] of Object.entries((dict.config ?? {}) as Config)) {
    if (key === 'dtype') config.dtype = plainDtype(value) ?? 'float32';
    else if (key === 'batch_shape') config.batch_input_shape = value;
    else if (
      key === 'optional' ||
      key === 'quantization_config' ||
      key === 'lora_rank' ||
      key === 'lora_alpha'
    )
      continue;
    else config[key] = legacyNested(value);
  }
  return { class_name: className, config };
}

function legacyInboundNodes(nodes: ConfigValue | undefined): ConfigValue {
  if (!Array.isArray(nodes)) return [];
  return nodes.map((node) => {
    const args = ((node as Config).args ?? []) as ConfigValue[];
    const first = args[0];
    const tensors = (Array.isArray(first) ? first : [first]) as Config[];
    return tensors.map((t) => {
      const history = ((t?.config as Config | undefined)?.keras_history ?? []) as ConfigValue[];
      return [history[0] ?? null, history[1] ?? 0, history[2] ?? 0, {}];
    });
  });
}

/** Keras 2 and TF.js always list `[name, node, index]` refs; Keras 3 writes one model input flat. */
function asRefList(refs: ConfigValue | undefined): ConfigValue {
  if (!Array.isArray(refs) || refs.length === 0) return [];
  return Array.isArray(refs[0]) ? refs : [refs];
}

/** Translates a Keras 3 model dict (what Cornu writes) to the Keras 2 / TF.js layers dialect. */
export function keras3ModelToKeras2(model: Config): Config {
  const className = String(model.class_name);
  const config = (model.config ?? {}) as Config;
  if (className === 'Sequential') {
    return {
      class_name: 'Sequential',
      config: {
        name: config.name ?? 'sequential',
        layers: ((config.layers ?? []) as Config[]).map(legacyLayer),
      },
    };
  }
  if (className === 'Functional' || className === 'Model') {
    const layers = ((config.layers ?? []) as Config[]).map((layer) => {
      const legacy = legacyLayer(layer);
      return {
        ...legacy,
        name: layer.name ?? (legacy.config as Config).name ?? null,
        inbound_nodes: legacyInboundNodes(layer.inbound_nodes),
      };
    });
    return {
      class_name: 'Model',
      config: {
        name: config.name ?? 'model',
        layers,
        input_layers: asRefList(config.input_layers),
        output_layers: asRefList(config.output_layers),
      },
    };
  }
  return legacyLayer(model);
}
