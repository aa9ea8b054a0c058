export { BackupAndRestore, type BackupAndRestoreArgs } from './backup-and-restore.js';
export {
  Callback,
  CallbackList,
  type CallbackModel,
  type CallbackOptimizer,
  type CallbackParams,
  type Logs,
  type PredictBatchLogs,
} from './callback.js';
export { CSVLogger, type CSVLoggerArgs } from './csv-logger.js';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.js';
export { History } from './history.js';
export { LambdaCallback, type LambdaCallbackArgs } from './lambda-callback.js';
export { LearningRateScheduler } from './learning-rate-scheduler.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { ProgbarLogger, type ProgbarLoggerArgs } from './progbar-logger.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.js';
export { TensorBoard, type TensorBoardArgs } from './tensorboard.js';
export { TerminateOnNaN } from './terminate-on-nan.js';
