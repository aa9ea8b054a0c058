/**
 * Keras 3's object paths for variables: where each layer's own variables live inside
 * `model.weights.h5` (`layers/dense_1/vars/0`, `layers/lstm/cell/vars/2`, ...).
 *
 * Keras walks a model the way `saving_lib._save_state` does: the object's own variables at
 * `<path>/vars/<i>` (trainable first, then non-trainable, in creation order); for models the
 * `layers` list at `<path>/layers/<snake_class_name>[_<k>]` (names counted per class, not the
 * layer names); then every other attribute holding a layer at `<path>/<attribute>` (lists at
 * `<path>/<attribute>/<snake_class_name>[_<k>]`), attributes in sorted order, each object once.
 */
import { InputLayer } from '../engine/input-layer.js';
import { Layer } from '../engine/layer.js';
import type { LayerVariable } from '../engine/layer-variable.js';
import { Model } from '../engine/model.js';
import { camelToSnake, toSnakeCase } from '../engine/naming.js';
import { UNTRACKED_KEYS } from '../engine/tracking.js';

/** One `vars` group: the object that owns the variables, its path, and the variables in order. */
export interface VarsGroup {
  /** `'layers/dense_1'` ('' for the top-level object). */
  readonly path: string;
  readonly owner: Layer;
  readonly variables: LayerVariable[];
}

const join = (a: string, b: string) => (a ? `${a}/${b}` : b);

/** The variables `layer` owns itself (not through a sublayer), in `layer.weights` order. */
export function ownVariables(layer: Layer): LayerVariable[] {
  const nested = new Set<LayerVariable>();
  for (const sub of layer.sublayers) for (const w of sub.weights) nested.add(w);
  return layer.weights.filter((w) => !nested.has(w));
}

function layersIn(value: unknown, depth = 0): Layer[] | null {
  if (value instanceof Layer) return [value];
  if (depth > 4 || value === null || typeof value !== 'object') return null;
  const items = Array.isArray(value)
    ? value
    : value instanceof Map
      ? [...value.values()]
      : Object.getPrototypeOf(value) === Object.prototype
        ? Object.values(value)
        : null;
  if (!items) return null;
  const out: Layer[] = [];
  for (const item of items) {
    const found = layersIn(item, depth + 1);
    if (found) out.push(...found);
  }
  return out.length > 0 ? out : null;
}

/** Every `vars` group of `root`, in Keras's walk order (the root's own group first, at path ''). */
export function varsGroups(root: Layer): VarsGroup[] {
  const groups: VarsGroup[] = [];
  const visited = new Set<Layer>();
  const container = (list: Layer[], path: string) => {
    const used = new Map<string, number>();
    for (const layer of list) {
      const base = toSnakeCase(layer.className === 'Functional' ? 'Functional' : layer.className);
      const count = used.get(base);
      const name = count === undefined ? base : `${base}_${count + 1}`;
      used.set(base, count === undefined ? 0 : count + 1);
      visit(layer, join(path, name));
    }
  };
  const visit = (layer: Layer, path: string) => {
    if (visited.has(layer)) return;
    visited.add(layer);
    groups.push({ path, owner: layer, variables: ownVariables(layer) });
    if (layer instanceof Model) container(layer.layers, join(path, 'layers'));
    const entries = Object.entries(layer)
      .filter(([key]) => !UNTRACKED_KEYS.has(key))
      .map(([key, value]) => [camelToSnake(key), value] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [key, value] of entries) {
      if (value instanceof Layer) {
        if (!(value instanceof InputLayer) || layer instanceof Model) visit(value, join(path, key));
        continue;
      }
      const list = layersIn(value);
      if (list) container(list, join(path, key));
    }
  };
  visit(root, '');
  return groups;
}
