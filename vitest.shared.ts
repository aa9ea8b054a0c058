import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Resolved from @cornu/core, the package that depends on tfjs-core.
const tfjsCore = createRequire(new URL('./packages/core/package.json', import.meta.url)).resolve(
  '@tensorflow/tfjs-core',
);

/**
 * The vitest settings every package shares.
 *
 * Node loads tfjs-core's CommonJS build (tf-core.node.js); vite would pick its ESM build through
 * the "module" field and give tests a second copy. The alias makes vite use the file Node uses.
 * tfjs-core's gradient and chained-op registrations ship as ESM without file extensions, so vite
 * transforms them (see packages/core/src/backend/tfjs-side-effects.ts).
 *
 * `isolate: false` lets each worker import tfjs and Cornu once instead of once per test file: the
 * import dominated the suite (about 8 s per file on 2 cores, 2.5x faster overall without it).
 * Test files therefore must not depend on fresh module state - reset what they change.
 */
export const sharedConfig = defineConfig({
  resolve: {
    alias: [{ find: /^@tensorflow\/tfjs-core$/, replacement: tfjsCore }],
  },
  test: {
    include: ['src/**/*.test.ts'],
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    server: { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core\.node\.js)/] } },
  },
});
