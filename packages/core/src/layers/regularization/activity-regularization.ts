import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs } from '../../engine/layer.js';
import { L1L2 } from '../../regularizers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of {@link ActivityRegularization}. */
export interface ActivityRegularizationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** L1 factor. @default 0 */
  l1?: number;
  /** L2 factor. @default 0 */
  l2?: number;
}

/**
 * Passes its input through and adds `l1 * sum(|x|) + l2 * sum(x^2)` of it to `layer.losses`
 * (as Keras, on every call; the fit loop only uses losses while training).
 *
 * @example
 * ```ts
 * const layer = new ActivityRegularization({ l2: 0.01 });
 * layer.apply(x); // layer.losses holds 0.01 * sum(x^2)
 * ```
 */
export class ActivityRegularization extends Layer {
  static override readonly builtAtConstruction = true;
  static override readonly className = 'ActivityRegularization';
  readonly l1: number;
  readonly l2: number;

  constructor(args: ActivityRegularizationArgs = {}) {
    const {
      l1 = 0,
      l2 = 0,
      ...rest
    } = args as ActivityRegularizationArgs & { activityRegularizer?: unknown };
    delete (rest as { activityRegularizer?: unknown }).activityRegularizer;
    super({ ...rest, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.clone(inputs);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    const { activity_regularizer: _activity, ...config } = super.getConfig();
    return { ...config, l1: this.l1, l2: this.l2 };
  }
}

registerKerasClass('keras.layers', ActivityRegularization);
