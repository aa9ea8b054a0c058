/**
 * The engines Cornu can run on, in order of preference. Native engines are optional peer
 * dependencies: they are only imported when present, never installed by Cornu.
 */
export type EngineName = 'node-gpu' | 'node' | 'wasm' | 'cpu';

export interface EngineSpec {
  readonly name: EngineName;
  /** The npm package that provides the engine. */
  readonly packageName: string;
  /** The tfjs backend name the package registers. */
  readonly tfjsBackend: string;
  /** How to get it, shown when it cannot load. */
  readonly installHint: string;
}

export const ENGINE_ORDER: readonly EngineSpec[] = [
  {
    name: 'node-gpu',
    packageName: '@tensorflow/tfjs-node-gpu',
    tfjsBackend: 'tensorflow',
    installHint:
      'npm install @tensorflow/tfjs-node-gpu@4.22.0 (downloads libtensorflow with CUDA; needs CUDA 11.x and cuDNN 8 on the library path)',
  },
  {
    name: 'node',
    packageName: '@tensorflow/tfjs-node',
    tfjsBackend: 'tensorflow',
    installHint:
      'npm install @tensorflow/tfjs-node@4.22.0 (downloads libtensorflow at install time)',
  },
  {
    name: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    tfjsBackend: 'wasm',
    installHint: 'it ships with @cornu/core; reinstall @cornu/core if it is missing',
  },
  {
    name: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    tfjsBackend: 'cpu',
    installHint: 'it ships with @cornu/core; reinstall @cornu/core if it is missing',
  },
];

export function isEngineName(value: string): value is EngineName {
  return ENGINE_ORDER.some((e) => e.name === value);
}
