import { layers } from '@cornu/core';

/** Keras's `Rescaling` (`x * scale + offset`), core's layer re-exported for image pipelines. */
export const Rescaling: typeof layers.Rescaling = layers.Rescaling;
export type Rescaling = InstanceType<typeof layers.Rescaling>;
export type RescalingArgs = ConstructorParameters<typeof layers.Rescaling>[0];
