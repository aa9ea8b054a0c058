export { Adadelta, type AdadeltaArgs } from './adadelta.js';
export { Adafactor, type AdafactorArgs } from './adafactor.js';
export { Adagrad, type AdagradArgs } from './adagrad.js';
export { Adam, type AdamArgs } from './adam.js';
export { Adamax, type AdamaxArgs } from './adamax.js';
export { AdamW, type AdamWArgs } from './adamw.js';
export { Ftrl, type FtrlArgs } from './ftrl.js';
export { deserialize, get, register, serialize } from './get.js';
export { Lion, type LionArgs } from './lion.js';
export { Nadam, type NadamArgs } from './nadam.js';
export {
  Optimizer,
  type OptimizerArgs,
  type OptimizerConfig,
  type OptimizerVariable,
} from './optimizer.js';
export { RMSprop, type RMSpropArgs } from './rmsprop.js';
export * as schedules from './schedules/index.js';
export { SGD, type SGDArgs } from './sgd.js';
export type { LayerVariableLike, VariableLike } from './variable-like.js';
