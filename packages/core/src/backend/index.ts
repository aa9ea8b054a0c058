export { engine, ready, resetForTests } from './backend.js';
export { ENGINE_ORDER, type EngineName, type EngineSpec } from './engines.js';
