import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/testing/index.ts'],
  // One shared chunk for both entries (also in CJS), so @cornu/core/testing sees the same classes.
  splitting: true,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  // See src/backend/tfjs-side-effects.ts: these ESM-only side-effect modules are bundled.
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
});
