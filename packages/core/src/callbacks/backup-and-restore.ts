import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/errors.js';
import { Callback, type CallbackModel } from './callback.js';

export interface BackupAndRestoreArgs {
  /**
   * 'epoch', or back up every this many training batches as well. A mid-epoch backup resumes at the
   * start of that epoch, so the batches before it are trained again (the weights are those of the
   * backup).
   * @default 'epoch'
   */
  saveFreq?: 'epoch' | number;
  /**
   * Delete the backup folder (all of `backupDir`, as Keras does) when `fit` ends without an error,
   * including when a callback stopped it early.
   * @default true
   */
  deleteCheckpoint?: boolean;
}

const MAGIC = 'CORNU-BACKUP-1\n';

interface Header {
  epoch: number;
  weights: { shape: number[]; dtype: string }[];
  optimizer: { shape: number[]; dtype: string }[];
}

/** Packs tensors after a JSON header: `MAGIC`, 4-byte header length, header, raw little-endian data. */
function pack(header: Header, tensors: tf.Tensor[]): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const parts = tensors.map((t) => {
    const data = t.dataSync();
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  });
  return Buffer.concat([Buffer.from(MAGIC), length, json, ...parts]);
}

function unpack(bytes: Buffer, path: string): { header: Header; tensors: tf.Tensor[] } {
  if (bytes.subarray(0, MAGIC.length).toString() !== MAGIC) {
    throw new ValueError(`BackupAndRestore: ${path} is not a Cornu backup file (bad magic).`);
  }
  const length = bytes.readUInt32LE(MAGIC.length);
  let offset = MAGIC.length + 4;
  const header = JSON.parse(bytes.subarray(offset, offset + length).toString()) as Header;
  offset += length;
  const tensors = [...header.weights, ...header.optimizer].map(({ shape, dtype }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const copy = new Uint8Array(bytes.subarray(offset, offset + size * 4)).buffer;
    offset += size * 4;
    const values = dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return tf.tensor(values, shape, dtype as 'float32' | 'int32');
  });
  return { header, tensors };
}

/**
 * Backs up the training state so an interrupted `fit` resumes where it stopped (Keras
 * `BackupAndRestore`). After each epoch (and every `saveFreq` batches, if set) it writes the model
 * weights, the optimizer state (step count and slots) and the epoch to resume at to
 * `<backupDir>/latest.ckpt`, through a temporary file renamed over it, so a crash mid-write leaves
 * the previous backup intact. On the next `fit` with the same backupDir, `onTrainBegin` restores
 * them and sets `model.initialEpoch`, which `fit` starts from.
 *
 * The file format is Cornu's own and private to this callback: a magic line, a JSON header (the
 * epoch, and the shape and dtype of each tensor) and the raw little-endian float32 / int32 data.
 */
export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: 'epoch' | number;
  readonly deleteCheckpoint: boolean;
  #epoch = 0;
  #batches = 0;

  constructor(
    backupDir: string,
    { saveFreq = 'epoch', deleteCheckpoint = true }: BackupAndRestoreArgs = {},
  ) {
    super();
    if (!backupDir)
      throw new ValueError(
        'BackupAndRestore: backupDir must be a folder path. Received an empty string.',
      );
    if (saveFreq !== 'epoch' && !(Number.isInteger(saveFreq) && saveFreq > 0)) {
      throw new ValueError(
        `BackupAndRestore: saveFreq must be 'epoch' or a positive integer. Received: ${String(saveFreq)}.`,
      );
    }
    this.backupDir = backupDir;
    this.saveFreq = saveFreq;
    this.deleteCheckpoint = deleteCheckpoint;
  }

  /** Path of the backup file. */
  get checkpointPath(): string {
    return join(this.backupDir, 'latest.ckpt');
  }

  override async onTrainBegin(): Promise<void> {
    const model = this.requireModel();
    if (!existsSync(this.checkpointPath)) return;
    const { header, tensors } = unpack(readFileSync(this.checkpointPath), this.checkpointPath);
    try {
      const weights = tensors.slice(0, header.weights.length);
      model.setWeights(weights);
      const optimizerState = tensors.slice(header.weights.length);
      if (optimizerState.length > 0) this.#restoreOptimizer(model, optimizerState);
      model.initialEpoch = header.epoch;
      this.#epoch = header.epoch;
    } finally {
      tf.dispose(tensors);
    }
  }

  #restoreOptimizer(model: CallbackModel, values: tf.Tensor[]): void {
    const optimizer = model.optimizer;
    if (!optimizer?.variables) return;
    let variables = optimizer.variables();
    if (variables.length !== values.length && optimizer.build && model.trainableWeights) {
      optimizer.build(model.trainableWeights);
      variables = optimizer.variables();
    }
    if (variables.length !== values.length) {
      throw new ValueError(
        `BackupAndRestore: the backup holds ${values.length} optimizer variables, the model's optimizer has ${variables.length}. Was the backup written by another model or optimizer?`,
      );
    }
    // setWeights also refreshes what the optimizer mirrors on the host (its step count, the rate).
    if (optimizer.setWeights) {
      optimizer.setWeights(values);
      return;
    }
    variables.forEach((v, i) => {
      tf.tidy(() => v.assign(tf.cast(values[i]!, v.dtype)));
    });
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.#epoch = epoch;
  }

  override async onTrainBatchEnd(): Promise<void> {
    if (this.saveFreq === 'epoch') return;
    this.#batches += 1;
    if (this.#batches % this.saveFreq === 0) this.#write(this.#epoch);
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    this.#write(epoch + 1);
  }

  override async onTrainEnd(): Promise<void> {
    if (this.deleteCheckpoint) rmSync(this.backupDir, { recursive: true, force: true });
  }

  /** Writes weights + optimizer state + the epoch to resume at, atomically. */
  #write(resumeEpoch: number): void {
    const model = this.requireModel();
    const weights = model.getWeights();
    const optimizer = model.optimizer?.variables?.() ?? [];
    const header: Header = {
      epoch: resumeEpoch,
      weights: weights.map((t) => ({ shape: t.shape, dtype: t.dtype })),
      optimizer: optimizer.map((t) => ({ shape: t.shape, dtype: t.dtype })),
    };
    const bytes = pack(header, [...weights, ...optimizer]);
    tf.dispose(weights);
    mkdirSync(this.backupDir, { recursive: true });
    const temp = `${this.checkpointPath}.tmp-${process.pid}`;
    writeFileSync(temp, bytes);
    renameSync(temp, this.checkpointPath);
  }
}
