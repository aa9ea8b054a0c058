export { cornuHome, type GetFileOptions, getFile } from './get-file.js';
export { type NpyArray, parseNpy, parseNpz } from './npy.js';
export {
  clearRandomSeed,
  createRng,
  getRandomSeed,
  nextSeed,
  setRandomSeed,
  tfjsSeed,
} from './random.js';
export { toCategorical } from './to-categorical.js';
