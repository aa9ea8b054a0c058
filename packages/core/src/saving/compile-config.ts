/**
 * Keras's `compile_config`: the arguments of `model.compile`, written as Keras writes them
 * (`optimizer` dict, `loss`, `loss_weights`, `metrics`, `weighted_metrics`) and read back into
 * `compile` arguments. `compile` is wrapped once so the arguments of each call are remembered.
 */
import { Model } from '../engine/model.js';
import { camelToSnake } from '../engine/naming.js';
import { Loss } from '../losses/loss.js';
import * as lossesModule from '../losses/get.js';
import { Metric } from '../metrics/metric.js';
import * as metricsModule from '../metrics/get.js';
import * as optimizersModule from '../optimizers/get.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import '../training/trainer.js';
import type { CompileArgs } from '../training/trainer.js';
import type { Config, ConfigValue } from './registry.js';

const compileArgs = new WeakMap<Model, CompileArgs>();
let installed = false;

/** Wraps `Model.prototype.compile` (once) to remember each model's compile arguments. */
export function installCompileRecorder(): void {
  if (installed) return;
  installed = true;
  const original = Model.prototype.compile;
  Object.defineProperty(Model.prototype, 'compile', {
    value: function compile(this: Model, args: CompileArgs = {}) {
      original.call(this, args);
      compileArgs.set(this, { ...args });
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
installCompileRecorder();

function serializeLeaf(value: unknown): ConfigValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return camelToSnake(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Loss) return lossesModule.serialize(value) as unknown as ConfigValue;
  if (value instanceof Metric) return metricsModule.serialize(value) as unknown as ConfigValue;
  if (typeof value === 'function') {
    const name = (value as { name?: string }).name;
    return name ? camelToSnake(name) : null;
  }
  if (Array.isArray(value)) return value.map(serializeLeaf);
  if (typeof value === 'object') {
    const out: Config = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = serializeLeaf(v);
    return out;
  }
  return null;
}

/** The model's `compile_config` (null when it was never compiled). */
export function getCompileConfig(model: Model): Config | null {
  if (!model.compiled) return null;
  const args = compileArgs.get(model) ?? {};
  const optimizer = model.optimizer;
  return {
    optimizer: optimizer ? (optimizersModule.serialize(optimizer) as unknown as ConfigValue) : null,
    loss: serializeLeaf(args.loss),
    loss_weights: serializeLeaf(args.lossWeights),
    metrics: serializeLeaf(args.metrics),
    weighted_metrics: serializeLeaf(args.weightedMetrics),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

function deserializeLoss(value: ConfigValue): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(deserializeLoss);
  if (typeof value === 'object' && typeof value.class_name === 'string') {
    return lossesModule.deserialize(value as { class_name: string; config?: Config });
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deserializeLoss(v);
    return out;
  }
  return value;
}

function deserializeMetrics(value: ConfigValue): unknown {
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(deserializeMetrics);
  if (typeof value === 'object' && typeof value.class_name === 'string')
    return metricsModule.get(value as never);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = deserializeMetrics(v);
    return out;
  }
  return value;
}

/** `compile` arguments from a Keras `compile_config`. */
export function compileArgsFromConfig(config: Config): CompileArgs {
  const args: CompileArgs = {};
  const opt = config.optimizer;
  if (opt !== null && opt !== undefined) {
    args.optimizer =
      typeof opt === 'string'
        ? opt
        : (optimizersModule.deserialize(
            opt as { class_name: string; config?: Config },
          ) as Optimizer);
  }
  const loss = deserializeLoss(config.loss ?? null);
  if (loss !== undefined) args.loss = loss as CompileArgs['loss'];
  if (config.loss_weights !== null && config.loss_weights !== undefined)
    args.lossWeights = config.loss_weights as CompileArgs['lossWeights'];
  const metrics = deserializeMetrics(config.metrics ?? null);
  if (metrics !== undefined) args.metrics = metrics as CompileArgs['metrics'];
  const weighted = deserializeMetrics(config.weighted_metrics ?? null);
  if (weighted !== undefined) args.weightedMetrics = weighted as CompileArgs['weightedMetrics'];
  return args;
}
