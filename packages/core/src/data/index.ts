export { type BatchedElement, Dataset, type Element, type SliceSource } from './dataset.js';
