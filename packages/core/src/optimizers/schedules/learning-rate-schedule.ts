import { NotFoundError, ValueError } from '../../errors/errors.js';

/** A Keras-style serialized object: `{ module, class_name, config, registered_name }`. */
export interface SerializedSchedule {
  module: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
}

/**
 * A learning rate that changes with the optimizer's step (`optimizer.iterations` before the
 * update). Subclasses implement `call(step)` with Keras 3's formula and `getConfig` with its
 * snake_case keys.
 */
export abstract class LearningRateSchedule {
  static readonly className: string = 'LearningRateSchedule';
  /** The learning rate at `step` (0-based: the step about to be taken). */
  abstract call(step: number): number;
  abstract getConfig(): Record<string, unknown>;
}

type ScheduleClass = {
  className: string;
  fromConfig(config: Record<string, unknown>): LearningRateSchedule;
};
const registry = new Map<string, ScheduleClass>();

/** Makes a schedule class known to `deserializeSchedule` (core's schedules register themselves). */
export function registerSchedule(cls: ScheduleClass): void {
  registry.set(cls.className, cls);
}

/** The Keras dict for a schedule, as stored in an optimizer's `learning_rate` config entry. */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  const cls = schedule.constructor as unknown as ScheduleClass;
  return {
    module: 'keras.optimizers.schedules',
    class_name: cls.className,
    config: schedule.getConfig(),
    registered_name: null,
  };
}

/** Rebuilds a schedule from its Keras dict. */
export function deserializeSchedule(
  dict: SerializedSchedule | Record<string, unknown>,
): LearningRateSchedule {
  const className = dict.class_name;
  if (typeof className !== 'string') {
    throw new ValueError(
      `deserializeSchedule: expected a dict with a string 'class_name', received keys [${Object.keys(dict).join(', ')}].`,
    );
  }
  const cls = registry.get(className);
  if (cls == null) {
    throw new NotFoundError(
      `deserializeSchedule: unknown learning rate schedule class '${className}'. Known: ${[...registry.keys()].join(', ')}. Fix: call registerSchedule(YourSchedule) first.`,
    );
  }
  return cls.fromConfig((dict.config ?? {}) as Record<string, unknown>);
}

/** Reads a number from a snake_case config, or the given default. */
export function num(config: Record<string, unknown>, key: string, fallback?: number): number {
  const v = config[key];
  if (typeof v === 'number') return v;
  if (v == null && fallback !== undefined) return fallback;
  throw new ValueError(
    `fromConfig: expected config['${key}'] to be a number, received ${JSON.stringify(v)}.`,
  );
}

export function positive(owner: string, argument: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new ValueError(`${owner}: ${argument} must be a positive number, received ${value}.`);
  }
  return value;
}
