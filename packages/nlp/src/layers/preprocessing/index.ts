export {
  type MaskedLMMaskGeneratorArgs,
  MaskedLMMaskGenerator,
  type MaskedLMOutput,
} from './masked-lm-mask-generator.js';
export {
  MultiSegmentPacker,
  type MultiSegmentPackerArgs,
  segmentBudgets,
  type TruncationStrategy,
} from './multi-segment-packer.js';
export {
  RandomDeletion,
  type RandomDeletionArgs,
  RandomSwap,
  type RandomSwapArgs,
  type RandomTokenAugmentArgs,
  type Token,
} from './random-token-augment.js';
export type { TokenInput } from './ragged.js';
export {
  type StartEndPackOptions,
  StartEndPacker,
  type StartEndPackerArgs,
} from './start-end-packer.js';
