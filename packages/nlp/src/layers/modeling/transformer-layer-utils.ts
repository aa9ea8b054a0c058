import { initializers, type Layer, type Mask, tf, ValueError } from '@cornu/core';

/**
 * A causal attention mask `[batch, outputLength, inputLength]` (int32 0/1): query step `i` (counted
 * from `cacheIndex`, for cached decoding) may attend to key steps `j <= i + cacheIndex`.
 */
export function computeCausalMask(
  batchSize: number,
  inputLength: number,
  outputLength: number,
  cacheIndex = 0,
): tf.Tensor3D {
  const values = new Int32Array(outputLength * inputLength);
  for (let i = 0; i < outputLength; i++) {
    for (let j = 0; j < inputLength; j++) values[i * inputLength + j] = i + cacheIndex >= j ? 1 : 0;
  }
  return tf.tidy(() =>
    tf.broadcastTo(tf.tensor3d(values, [1, outputLength, inputLength], 'int32'), [
      batchSize,
      outputLength,
      inputLength,
    ]),
  );
}

/**
 * KerasHub's mask merge: the padding mask `[batch, seq]` (or, when it is absent, the Keras mask the
 * input carries) becomes `[batch, 1, seq]` (keys only), combined by minimum with an attention mask
 * `[batch, tq, tv]`. Returns an int32 mask, or null when neither is given.
 */
export function mergePaddingAndAttentionMask(
  who: string,
  inputMask: Mask | undefined,
  paddingMask: tf.Tensor | null | undefined,
  attentionMask: tf.Tensor | null | undefined,
): tf.Tensor | null {
  const padding = paddingMask ?? inputMask ?? null;
  if (padding && padding.rank !== 2) {
    throw new ValueError(
      `${who}: paddingMask should have shape [batch, sequenceLength], received shape [${padding.shape.join(', ')}].`,
    );
  }
  if (attentionMask && attentionMask.rank !== 3) {
    throw new ValueError(
      `${who}: attentionMask should have shape [batch, targetLength, sourceLength], received shape [${attentionMask.shape.join(', ')}].`,
    );
  }
  const mask = padding ? tf.cast(tf.expandDims(padding, 1), 'int32') : null;
  if (!attentionMask) return mask;
  const attention = tf.cast(attentionMask, 'int32');
  return mask ? tf.minimum(mask, attention) : attention;
}

/** A fresh initializer with the same config (KerasHub's `clone_initializer`): sublayers never share seeded state. */
export function cloneInitializer(initializer: initializers.Initializer): initializers.Initializer {
  return initializers.get(initializers.serialize(initializer));
}

/** The first element of a mask argument that may be a list (one mask per input). */
export function firstMask(mask: Mask | Mask[] | undefined): Mask | undefined {
  return Array.isArray(mask) ? mask[0] : mask;
}

/** A Keras layer config (snake_case keys, JSON values), as `Layer.getConfig` returns it. */
export type Config = ReturnType<Layer['getConfig']>;
/** One value of a `Config`. */
export type ConfigValue = Config[string];

/** Checks the arguments every transformer block shares; errors name the layer and the value. */
export function checkTransformerArgs(
  who: string,
  args: { intermediateDim: number; numHeads: number; dropout: number },
): void {
  for (const key of ['intermediateDim', 'numHeads'] as const) {
    const value = args[key];
    if (!Number.isInteger(value) || value <= 0) {
      throw new ValueError(`${who}: ${key} must be a positive integer. Received: ${key}=${value}.`);
    }
  }
  const { dropout } = args;
  if (!(dropout >= 0 && dropout < 1)) {
    throw new ValueError(`${who}: dropout must be in [0, 1). Received: dropout=${dropout}.`);
  }
}
