/**
 * Keras 3 weights files (`.weights.h5`, and `model.weights.h5` inside `.keras`): variables at
 * `<object path>/vars/<i>` (see `object-paths.ts`), optimizer state at `optimizer/vars/<i>`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Layer } from '../engine/layer.js';
import type { LayerVariable } from '../engine/layer-variable.js';
import { Model } from '../engine/model.js';
import { formatShape } from '../engine/naming.js';
import { ValueError } from '../errors/errors.js';
import type { H5Reader, H5Writer } from './h5.js';
import { varsGroups } from './object-paths.js';

/** Options of weight loading. */
export interface LoadWeightsOptions {
  /**
   * Match top-level layers by their layer name (the `name` attribute Keras 3 writes on each `vars`
   * group) instead of by object path (topological order of class names). @default false
   */
  byName?: boolean;
  /** Skip variables whose count or shapes differ (reported) instead of failing. @default false */
  skipMismatch?: boolean;
  /** Load the optimizer state when the file has one and the model has an optimizer. @default true */
  loadOptimizer?: boolean;
}

/** What a weight load did. */
export interface LoadWeightsReport {
  /** Object paths whose variables were assigned. */
  loaded: string[];
  /** Object paths (or layer names) skipped, with the reason. */
  skipped: { path: string; reason: string }[];
  /** Whether the optimizer state was restored. */
  optimizerLoaded: boolean;
}

const varsPath = (path: string) => (path ? `${path}/vars` : 'vars');

/** Writes `model`'s variables (and its optimizer's state when built) into `writer`. */
export function writeModelWeights(model: Layer, writer: H5Writer, includeOptimizer = true): void {
  for (const group of varsGroups(model)) {
    const p = varsPath(group.path);
    writer.group(p);
    writer.attr(p, 'name', group.owner.name);
    group.variables.forEach((v, i) => {
      writer.dataset(`${p}/${i}`, v.read());
    });
  }
  const optimizer = model instanceof Model && model.compiled ? model.optimizer : null;
  if (includeOptimizer && optimizer?.built) {
    writer.group('optimizer/vars');
    writer.attr('optimizer/vars', 'name', optimizer.name);
    optimizer.variables().forEach((v, i) => {
      writer.dataset(`optimizer/vars/${i}`, v);
    });
  }
}

function numericKeys(keys: string[]): string[] {
  return keys.filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
}

/** Top-level `layers/*` groups of the file by the layer name Keras recorded on them. */
function groupsByLayerName(reader: H5Reader): Map<string, string> {
  const out = new Map<string, string>();
  for (const key of reader.keys('layers') ?? []) {
    const name = reader.attr(`layers/${key}/vars`, 'name');
    if (typeof name === 'string') out.set(name, `layers/${key}`);
  }
  return out;
}

/**
 * Assigns the variables stored in `reader` (from `file`) to `model`. Every value is read and
 * checked before any is assigned, so a failed load leaves the model unchanged.
 */
export function readModelWeights(
  model: Layer,
  reader: H5Reader,
  file: string,
  options: LoadWeightsOptions = {},
): LoadWeightsReport {
  const { byName = false, skipMismatch = false, loadOptimizer = true } = options;
  const report: LoadWeightsReport = { loaded: [], skipped: [], optimizerLoaded: false };
  const pending: [LayerVariable, tf.Tensor][] = [];
  const byLayerName = byName ? groupsByLayerName(reader) : null;
  const topLevel = byName ? new Map<Layer, string>() : null;
  const groups = varsGroups(model);
  if (topLevel)
    for (const g of groups) if (/^layers\/[^/]+$/.test(g.path)) topLevel.set(g.owner, g.path);
  try {
    for (const group of groups) {
      if (group.variables.length === 0) continue;
      let path = group.path;
      if (byLayerName && topLevel) {
        // Re-root the group on the file's group for the same top-level layer name.
        const top = [...topLevel.entries()].find(([, p]) => path === p || path.startsWith(`${p}/`));
        if (top) {
          const found = byLayerName.get(top[0].name);
          if (!found) {
            report.skipped.push({
              path: top[0].name,
              reason: `no layer named '${top[0].name}' in the file`,
            });
            continue;
          }
          path = found + path.slice(top[1].length);
        }
      }
      const p = varsPath(path);
      const keys = reader.keys(p);
      const where = `${group.owner.who} (object path '${group.path || '/'}')`;
      if (keys === null) {
        const reason = `the file has no group '${p}'`;
        if (skipMismatch) {
          report.skipped.push({ path: group.path, reason });
          continue;
        }
        throw new ValueError(
          `${file}: cannot load weights of ${where}: ${reason}. Fix: check that the file was saved from the same architecture, or pass skipMismatch: true.`,
        );
      }
      const stored = numericKeys(keys);
      if (stored.length !== group.variables.length) {
        const reason = `expected ${group.variables.length} variables (${group.variables.map((v) => v.name).join(', ')}), the file has ${stored.length}`;
        if (skipMismatch) {
          report.skipped.push({ path: group.path, reason });
          continue;
        }
        throw new ValueError(`${file}: cannot load weights of ${where}: ${reason}.`);
      }
      const mismatch = group.variables.findIndex(
        (v, i) => !tf.util.arraysEqual(reader.shape(`${p}/${stored[i]}`), v.shape),
      );
      if (mismatch >= 0) {
        const v = group.variables[mismatch] as LayerVariable;
        const reason = `variable ${mismatch} ('${v.path}') has shape ${formatShape(v.shape)}, the file holds shape ${formatShape(reader.shape(`${p}/${stored[mismatch]}`))} at '${p}/${stored[mismatch]}'`;
        if (skipMismatch) {
          report.skipped.push({ path: group.path, reason });
          continue;
        }
        throw new ValueError(`${file}: weight shape mismatch for ${where}: ${reason}.`);
      }
      group.variables.forEach((v, i) => {
        pending.push([v, reader.tensor(`${p}/${stored[i]}`)]);
      });
      report.loaded.push(group.path);
    }
    for (const [variable, value] of pending) variable.assign(value);
  } finally {
    tf.dispose(pending.map(([, t]) => t));
  }
  const optimizer = model instanceof Model && model.compiled ? model.optimizer : null;
  const optKeys = reader.keys('optimizer/vars');
  if (loadOptimizer && optimizer && optKeys && optKeys.length > 0) {
    if (!optimizer.built) optimizer.build(model.trainableWeights);
    const keys = numericKeys(optKeys);
    const expected = optimizer.variables();
    const shapesMatch =
      keys.length === expected.length &&
      keys.every((k, i) =>
        tf.util.arraysEqual(
          reader.shape(`optimizer/vars/${k}`),
          (expected[i] as tf.Variable).shape,
        ),
      );
    if (shapesMatch) {
      const values = keys.map((k) => reader.tensor(`optimizer/vars/${k}`));
      // The file holds the rate as float32; keep the exact configured rate when it rounds to it.
      const rateBefore = optimizer.learningRateSchedule ? null : optimizer.learningRate;
      try {
        optimizer.setWeights(values);
        if (rateBefore !== null && Math.fround(rateBefore) === optimizer.learningRate)
          optimizer.learningRate = rateBefore;
      } finally {
        tf.dispose(values);
      }
      report.optimizerLoaded = true;
    } else {
      report.skipped.push({
        path: 'optimizer',
        reason: `the file holds ${keys.length} optimizer variables, the optimizer has ${expected.length} (or their shapes differ); optimizer state not restored`,
      });
    }
  }
  return report;
}
