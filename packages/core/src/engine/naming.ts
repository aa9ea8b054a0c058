/**
 * Unique, Keras-compatible object names: `dense`, `dense_1`, `dense_2`, ... per snake_case base.
 */

const counters = new Map<string, number>();

/** Keras's `to_snake_case`: `'GlobalAveragePooling2D'` -> `'global_average_pooling2d'`, `'LSTM'` -> `'lstm'`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The next free name for `base`: the first is `base`, then `base_1`, `base_2`, ... (Keras's `uniquify`). */
export function uniqueName(base: string): string {
  const used = counters.get(base) ?? 0;
  counters.set(base, used + 1);
  return used === 0 ? base : `${base}_${used}`;
}

/** Forgets every generated name, of layers and optimizers (Keras's `clear_session`): the next `Dense` is `dense` again. */
export function resetNames(): void {
  counters.clear();
}

/** `'kernel'` -> `'kernel'`; `'useBias'` -> `'use_bias'` (camelCase argument names to Keras config keys). */
export function camelToSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** `'use_bias'` -> `'useBias'` (Keras config keys back to camelCase argument names). */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `[null, 5]` -> `'[null, 5]'`, for error messages. */
export function formatShape(
  shape: readonly (number | null)[] | readonly (readonly (number | null)[])[],
): string {
  return JSON.stringify(shape).replace(/,/g, ', ');
}
