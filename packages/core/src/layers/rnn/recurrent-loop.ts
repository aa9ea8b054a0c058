import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors/errors.js';

/**
 * One recurrent step: the prepared input of one timestep (`[batch, ...]`) and the current states
 * give the step's output and the new states.
 */
export type RecurrentStep = (input: tf.Tensor, states: tf.Tensor[]) => [tf.Tensor, tf.Tensor[]];

export interface RecurrentLoopOptions {
  /** `[batch, time]` mask (bool or 0/1): masked steps keep the previous output and states. */
  mask?: tf.Tensor | null;
  /** Walk the sequence from the last step to the first; outputs come in that (reversed) order. */
  goBackwards?: boolean;
  /** Masked steps of the returned sequence are zeros instead of the carried output. */
  zeroOutputForMask?: boolean;
  /** Stack every step's output (`[batch, time, ...]`); otherwise `outputs` is null. */
  returnSequences?: boolean;
}

export interface RecurrentLoopResult {
  lastOutput: tf.Tensor;
  outputs: tf.Tensor | null;
  states: tf.Tensor[];
}

/** `[batch]` 0/1 mask reshaped to broadcast against a `[batch, ...]` tensor of rank `rank`. */
function broadcastMask(m: tf.Tensor, rank: number): tf.Tensor {
  return tf.reshape(m, [m.shape[0] ?? 1, ...new Array<number>(rank - 1).fill(1)]);
}

/** `prev + m * (next - prev)`: `next` where the step is kept, `prev` where it is masked. */
function blend(m: tf.Tensor, next: tf.Tensor, prev: tf.Tensor): tf.Tensor {
  return tf.add(prev, tf.mul(broadcastMask(m, next.rank), tf.sub(next, prev)));
}

/**
 * Keras's recurrent time loop (`keras.ops.rnn`), eagerly, differentiable by tfjs's tape.
 *
 * `inputs` is `[batch, time, ...]`, already projected by the cell where it can be (x·W for every
 * step in one matMul); each step is handed its slice. With a mask, a masked step carries the
 * previous output (zeros before the first kept step) and the previous states, as Keras does.
 * Call it inside `tf.tidy`: the intermediate tensors are released by the caller's scope.
 */
export function recurrentLoop(
  step: RecurrentStep,
  inputs: tf.Tensor,
  initialStates: tf.Tensor[],
  {
    mask = null,
    goBackwards = false,
    zeroOutputForMask = false,
    returnSequences = false,
  }: RecurrentLoopOptions = {},
): RecurrentLoopResult {
  // Copies: tfjs's gradient tape keeps the very array unstack returns, so it must not be reordered.
  let slices = [...tf.unstack(inputs, 1)];
  let masks = mask ? [...tf.unstack(tf.cast(mask, 'float32'), 1)] : null;
  if (goBackwards) {
    slices = slices.reverse();
    masks = masks ? masks.reverse() : null;
  }
  let states = initialStates;
  let prevOutput: tf.Tensor | null = null;
  const outputs: tf.Tensor[] = [];
  slices.forEach((slice, t) => {
    const [output, nextStates] = step(slice, states);
    const m = masks?.[t];
    if (m) {
      const previous = prevOutput ?? tf.zerosLike(output);
      prevOutput = blend(m, output, previous);
      states = nextStates.map((s, i) => blend(m, s, states[i] as tf.Tensor));
      if (returnSequences)
        outputs.push(
          zeroOutputForMask ? tf.mul(output, broadcastMask(m, output.rank)) : prevOutput,
        );
    } else {
      prevOutput = output;
      states = nextStates;
      if (returnSequences) outputs.push(output);
    }
  });
  if (prevOutput === null) {
    throw new ValueError(
      'recurrentLoop: expected at least one timestep, received an input of shape ' +
        JSON.stringify(inputs.shape) +
        '.',
    );
  }
  return { lastOutput: prevOutput, outputs: returnSequences ? tf.stack(outputs, 1) : null, states };
}
