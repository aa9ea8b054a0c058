import * as tf from '@tensorflow/tfjs-core';
import { NotFoundError, RuntimeError, ValueError } from '../errors/errors.js';
import { ENGINE_ORDER, type EngineName, type EngineSpec, isEngineName } from './engines.js';
import { installWasmKernels } from './wasm/install.js';

let selected: EngineName | undefined;
let pending: Promise<EngineName> | undefined;
let noticePrinted = false;

/** Why one engine could not be loaded: a missing package, or a package whose native part failed. */
export interface EngineFailure {
  readonly engine: EngineName;
  readonly kind: 'missing-package' | 'native-library' | 'init-failed';
  readonly detail: string;
}

/** The error and its `cause` chain (loaders and test runners wrap the loader's own error). */
function errorChain(error: unknown): { message: string; code?: string }[] {
  const chain: { message: string; code?: string }[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 8; ) {
    const message = e instanceof Error ? e.message : String(e);
    chain.push({ message, code: (e as { code?: string }).code });
    e = e instanceof Error ? e.cause : undefined;
  }
  return chain;
}

function describeFailure(spec: EngineSpec, error: unknown): EngineFailure {
  const chain = errorChain(error);
  const message = chain[0]!.message;
  const code = chain[0]!.code;
  // Node reports a missing package by code; bundlers and test runners by message.
  const missing =
    message.includes(spec.packageName) &&
    (code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /cannot find (module|package)|could not resolve|failed to resolve/i.test(message));
  if (missing) return { engine: spec.name, kind: 'missing-package', detail: message };
  const native = chain.find(
    (e) =>
      e.code === 'ERR_DLOPEN_FAILED' ||
      /\.so|\.dll|\.dylib|libtensorflow|cuda|cudnn|dlopen|napi/i.test(e.message),
  );
  if (native) return { engine: spec.name, kind: 'native-library', detail: native.message };
  return { engine: spec.name, kind: 'init-failed', detail: message };
}

function failureMessage(spec: EngineSpec, failure: EngineFailure): string {
  switch (failure.kind) {
    case 'missing-package':
      return `Engine '${spec.name}' needs the package ${spec.packageName}, which is not installed. Fix: ${spec.installHint}.`;
    case 'native-library':
      return `Engine '${spec.name}': ${spec.packageName} is installed but its native library failed to load (${failure.detail.split('\n')[0]}). Fix: reinstall it (npm rebuild ${spec.packageName}) or choose another engine with CORNU_ENGINE=wasm.`;
    case 'init-failed':
      return `Engine '${spec.name}' (${spec.packageName}) failed to initialise: ${failure.detail.split('\n')[0]}`;
  }
}

// A variable specifier keeps bundlers from trying to resolve optional peers at build time.
async function importPackage(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

/**
 * tfjs's cpu backend prints a multi-line "install tfjs-node" banner on first use in Node. Cornu
 * prints its own one-line notice instead, so mark the banner as already shown.
 */
export function silenceCpuGreeting(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

async function tryEngine(spec: EngineSpec): Promise<EngineFailure | undefined> {
  try {
    if (spec.name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    } else if (spec.name === 'cpu') {
      await import('@tensorflow/tfjs-backend-cpu');
    } else {
      await importPackage(spec.packageName);
    }
    if (tf.findBackendFactory(spec.tfjsBackend) == null) {
      return {
        engine: spec.name,
        kind: 'init-failed',
        detail: `${spec.packageName} loaded but registered no '${spec.tfjsBackend}' backend; it may have loaded a second copy of @tensorflow/tfjs-core (Cornu needs 4.22.x)`,
      };
    }
    if (spec.name === 'wasm') installWasmKernels();
    const ok = await tf.setBackend(spec.tfjsBackend);
    if (!ok) {
      return { engine: spec.name, kind: 'init-failed', detail: 'tf.setBackend returned false' };
    }
    await tf.ready();
    silenceCpuGreeting();
    return undefined;
  } catch (error) {
    return describeFailure(spec, error);
  }
}

function printNoticeOnce(chosen: EngineName, failures: EngineFailure[]): void {
  if (noticePrinted || process.env.CORNU_QUIET === '1') return;
  noticePrinted = true;
  const skipped = failures
    .filter((f) => f.kind !== 'missing-package')
    .map((f) => `${f.engine} (${f.detail.split('\n')[0]?.slice(0, 120)})`);
  if (skipped.length === 0 && chosen !== 'cpu') return;
  const why = skipped.length > 0 ? ` ${skipped.join('; ')} failed to load;` : '';
  process.stderr.write(
    `cornu:${why} running on the '${chosen}' engine. Set CORNU_ENGINE to choose one explicitly.\n`,
  );
}

async function select(): Promise<EngineName> {
  const forced = process.env.CORNU_ENGINE?.trim();
  if (forced) {
    if (!isEngineName(forced)) {
      throw new ValueError(
        `CORNU_ENGINE must be one of ${ENGINE_ORDER.map((e) => `'${e.name}'`).join(', ')}. Received: '${forced}'.`,
      );
    }
    const spec = ENGINE_ORDER.find((e) => e.name === forced)!;
    const failure = await tryEngine(spec);
    if (failure) {
      const ErrorType = failure.kind === 'missing-package' ? NotFoundError : RuntimeError;
      throw new ErrorType(`CORNU_ENGINE=${forced}: ${failureMessage(spec, failure)}`);
    }
    return spec.name;
  }
  const failures: EngineFailure[] = [];
  for (const spec of ENGINE_ORDER) {
    const failure = await tryEngine(spec);
    if (!failure) {
      printNoticeOnce(spec.name, failures);
      return spec.name;
    }
    failures.push(failure);
  }
  throw new RuntimeError(
    `No engine could be loaded:\n${failures.map((f) => `  - ${failureMessage(ENGINE_ORDER.find((e) => e.name === f.engine)!, f)}`).join('\n')}`,
  );
}

/**
 * Selects and initialises the engine (once), and returns its name.
 *
 * Order: `node-gpu`, `node`, `wasm`, `cpu`; `CORNU_ENGINE` forces one and fails with a message
 * naming the missing package or the failed native library.
 *
 * @example
 * const name = await backend.ready(); // 'wasm' on a machine without tfjs-node
 */
export function ready(): Promise<EngineName> {
  if (selected) return Promise.resolve(selected);
  pending ??= select().then(
    (name) => {
      selected = name;
      return name;
    },
    (error: unknown) => {
      pending = undefined;
      throw error;
    },
  );
  return pending;
}

/** The engine `ready()` selected. Throws if `ready()` has not completed yet. */
export function engine(): EngineName {
  if (!selected) {
    throw new RuntimeError(
      'backend.engine() was called before backend.ready() resolved. Fix: await backend.ready() first.',
    );
  }
  return selected;
}

/** Forgets the selection so the next `ready()` selects again (tests and benchmarks). */
export function resetForTests(): void {
  selected = undefined;
  pending = undefined;
  noticePrinted = false;
}
