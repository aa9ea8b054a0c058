/**
 * The Keras class registry: finds a class from the `class_name` / `registered_name` of a Keras
 * config dict, and writes such dicts. Core classes register under their Keras module
 * (`keras.layers`, `keras.initializers`, ...); user classes through `registerSerializable`.
 */
import { NotFoundError, ValueError } from '../errors/errors.js';

/** A Keras config dict value (what JSON holds). */
export type ConfigValue =
  | null
  | boolean
  | number
  | string
  | ConfigValue[]
  | { [key: string]: ConfigValue };
/** A Keras config: snake_case keys, JSON values. */
export type Config = { [key: string]: ConfigValue };

/** What `serializeKerasObject` writes and `deserializeKerasObject` reads. */
export interface KerasObjectDict {
  module: string | null;
  class_name: string;
  config: Config;
  registered_name: string | null;
  build_config?: Config;
  [key: string]: ConfigValue | undefined;
}

/** A class that can be written to and rebuilt from a Keras config. */
export interface SerializableClass<T = unknown> {
  readonly className: string;
  /** Rebuilds an instance; when absent, `new cls(camelCasedConfig)` is used. */
  fromConfig?(config: Config, customObjects?: Record<string, SerializableClass>): T;
  name: string;
}

/** An instance of a serializable class. */
export interface Serializable {
  getConfig(): Config;
  getBuildConfig?(): Config | undefined;
}

interface Entry {
  readonly module: string;
  readonly cls: SerializableClass;
  readonly registeredName: string | null;
}

const byClassName = new Map<string, Entry>();
const byRegisteredName = new Map<string, Entry>();
const byClass = new Map<SerializableClass, Entry>();

function classNameOf(cls: SerializableClass): string {
  return Object.hasOwn(cls, 'className') ? cls.className : cls.name;
}

/**
 * Registers Cornu's implementation of a Keras built-in under its Keras module (`'keras.layers'`),
 * found by its Keras class name and written with `registered_name: null`, as Keras writes its
 * built-ins (Keras refuses to load a built-in that carries a registered name). For core's classes
 * and for other Cornu packages' (cv's image layers); user classes use `registerSerializable`.
 * Later registrations of the same class name replace earlier ones.
 */
export function registerKerasClass<C extends SerializableClass>(
  module: string,
  cls: C,
  aliases: string[] = [],
): C {
  const entry: Entry = { module, cls, registeredName: null };
  for (const name of [classNameOf(cls), ...aliases]) byClassName.set(name, entry);
  byClass.set(cls, entry);
  return cls;
}

/**
 * Registers a user class so configs naming it can be rebuilt: `registerSerializable('MyPackage')(MyLayer)`
 * registers `'MyPackage>MyLayer'` (Keras's `register_keras_serializable`). Returns the class.
 */
export function registerSerializable(packageName = 'Custom') {
  return <C extends SerializableClass>(cls: C): C => {
    const registeredName = `${packageName}>${classNameOf(cls)}`;
    const entry: Entry = { module: packageName, cls, registeredName };
    byRegisteredName.set(registeredName, entry);
    byClass.set(cls, entry);
    if (!byClassName.has(classNameOf(cls))) byClassName.set(classNameOf(cls), entry);
    return cls;
  };
}

/** The registered class for a Keras `class_name` (or `'Package>Name'`), or undefined. */
export function getRegisteredClass(name: string): SerializableClass | undefined {
  return (byRegisteredName.get(name) ?? byClassName.get(name))?.cls;
}

/** Writes `{ module, class_name, config, registered_name, build_config? }` for a registered object. */
export function serializeKerasObject(obj: Serializable): KerasObjectDict {
  const cls = obj.constructor as unknown as SerializableClass;
  const entry = byClass.get(cls);
  const dict: KerasObjectDict = {
    module: entry?.module ?? null,
    class_name:
      typeof (obj as { className?: unknown }).className === 'string'
        ? (obj as unknown as { className: string }).className
        : classNameOf(cls),
    config: obj.getConfig(),
    registered_name: entry?.registeredName ?? null,
  };
  // Keras writes the Functional class with registered_name "Functional" (its only built-in class
  // that carries one); a functional Model subclass keeps its own registration.
  if (dict.class_name === 'Functional' && dict.registered_name === null)
    dict.registered_name = 'Functional';
  const buildConfig = obj.getBuildConfig?.();
  if (buildConfig !== undefined) dict.build_config = buildConfig;
  return dict;
}

function camelCaseKeys(config: Config): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value !== null)
      args[key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = value;
  }
  return args;
}

/** True if `value` looks like a Keras object dict (`{ class_name, config }`). */
export function isKerasObjectDict(value: unknown): value is KerasObjectDict {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { class_name?: unknown }).class_name === 'string'
  );
}

/**
 * Rebuilds an object from its Keras dict, finding the class by `registered_name` then `class_name`.
 * `customObjects` maps class names to classes for this call only.
 */
export function deserializeKerasObject<T = unknown>(
  dict: KerasObjectDict,
  customObjects: Record<string, SerializableClass> = {},
): T {
  if (!isKerasObjectDict(dict)) {
    throw new ValueError(
      `deserializeKerasObject: expected a dict with 'class_name' and 'config', received ${JSON.stringify(dict)}.`,
    );
  }
  const name = dict.class_name;
  const cls =
    customObjects[name] ??
    (dict.registered_name ? customObjects[dict.registered_name] : undefined) ??
    (dict.registered_name ? byRegisteredName.get(dict.registered_name)?.cls : undefined) ??
    byClassName.get(name)?.cls;
  if (!cls) {
    throw new NotFoundError(
      `Unknown class '${dict.registered_name ?? name}' (module ${JSON.stringify(dict.module)}). ` +
        `Fix: register it with registerSerializable('${dict.registered_name?.includes('>') ? dict.registered_name.split('>')[0] : 'Custom'}')(${name}) before loading, or pass it in customObjects.`,
    );
  }
  const config = dict.config ?? {};
  const obj = (
    cls.fromConfig
      ? cls.fromConfig(config, customObjects)
      : new (cls as unknown as new (args: Record<string, unknown>) => unknown)(
          camelCaseKeys(config),
        )
  ) as T;
  const build = (obj as { buildFromConfig?: (c: Config) => void }).buildFromConfig;
  if (dict.build_config && typeof build === 'function') build.call(obj, dict.build_config);
  return obj;
}
