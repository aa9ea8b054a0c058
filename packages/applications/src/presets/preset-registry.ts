import { NotFoundError, ValueError } from '@cornu/core';
import { type PresetSpec, validatePresetSpec } from './preset-spec.js';

// Module-level registry, like Keras's serialization registry: presets are registered once by the
// package that ships them (or by the user) and looked up by name.
const registry = new Map<string, PresetSpec>();

/**
 * Adds a preset to the registry. Registering the same name twice is an error unless
 * `{ override: true }`, so that two packages never silently shadow each other.
 */
export function registerPreset(spec: PresetSpec, options: { override?: boolean } = {}): void {
  const valid = validatePresetSpec(spec);
  if (registry.has(valid.name) && !options.override) {
    throw new ValueError(
      `registerPreset: a preset named '${valid.name}' is already registered. Pass { override: true } to replace it.`,
    );
  }
  registry.set(valid.name, valid);
}

/** Removes a preset; returns whether it was registered. */
export function unregisterPreset(name: string): boolean {
  return registry.delete(name);
}

/** The registered preset named `name`; throws naming the registered ones when it is unknown. */
export function getPreset(name: string): PresetSpec {
  const spec = registry.get(name);
  if (!spec) {
    const known = [...registry.keys()].sort();
    throw new NotFoundError(
      `getPreset: no preset named '${name}'. Registered presets: ${known.length ? known.join(', ') : '(none)'}.`,
    );
  }
  return spec;
}

/** Registered presets sorted by name, optionally only those whose name contains `filter`. */
export function listPresets(filter?: string): PresetSpec[] {
  return [...registry.values()]
    .filter((spec) => filter === undefined || spec.name.includes(filter))
    .sort((a, b) => a.name.localeCompare(b.name));
}
