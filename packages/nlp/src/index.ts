export * from './tokenizers/index.js';
export * from './layers/preprocessing/index.js';
export * from './layers/modeling/index.js';
export * from './samplers/index.js';
export * from './metrics/index.js';
