/**
 * Automatic tracking of sublayers: a `Layer` (or `Model`) owns every Layer assigned to one of its
 * own properties, also inside arrays and plain objects, in property definition order.
 */

/** Property names of Layer internals that never hold owned sublayers. */
export const UNTRACKED_KEYS = new Set<string>([
  'inboundNodes',
  'inputSpec',
  '_graph',
  '_inputLayer',
  '_sequentialLayers',
  'optimizer',
  'compiledLoss',
  'compiledMetrics',
]);

/**
 * Collects instances accepted by `isTracked` among the own enumerable properties of `owner`
 * (recursing into arrays and plain objects), without duplicates and excluding `owner` itself.
 */
export function findTracked<T extends object>(
  owner: object,
  isTracked: (x: unknown) => x is T,
): T[] {
  const found: T[] = [];
  const seen = new Set<unknown>([owner]);
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (isTracked(value)) {
      found.push(value);
      return;
    }
    if (depth > 4) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (value instanceof Map) {
      for (const item of value.values()) visit(item, depth + 1);
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(owner)) {
    if (UNTRACKED_KEYS.has(key)) continue;
    visit(value, 0);
  }
  return found;
}
