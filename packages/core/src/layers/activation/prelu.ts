import * as tf from '@tensorflow/tfjs-core';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import * as constraints from '../../constraints/index.js';
import * as initializers from '../../initializers/index.js';
import * as regularizers from '../../regularizers/index.js';
import { type Config, registerKerasClass } from '../../saving/registry.js';

/** Arguments of {@link PReLU}. */
export interface PReLUArgs extends LayerArgs {
  /** @default 'zeros' */
  alphaInitializer?: initializers.InitializerIdentifier;
  alphaRegularizer?: regularizers.RegularizerIdentifier | null;
  alphaConstraint?: constraints.ConstraintIdentifier | null;
  /** Axes (1-based, batch excluded as in Keras) along which alpha is shared. @default null */
  sharedAxes?: number[] | number | null;
}

/**
 * Parametric ReLU: `x` for `x >= 0`, `alpha * x` otherwise, with a learned `alpha` of the input's
 * shape without the batch axis (size 1 along `sharedAxes`).
 *
 * @example
 * ```ts
 * const prelu = new PReLU({ sharedAxes: [1, 2] }); // one alpha per channel of an image
 * ```
 */
export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  readonly alphaInitializer: initializers.Initializer;
  readonly alphaRegularizer: regularizers.Regularizer | null;
  readonly alphaConstraint: constraints.Constraint | null;
  readonly sharedAxes: number[] | null;
  alpha!: LayerVariable;

  constructor(args: PReLUArgs = {}) {
    super(args);
    const {
      alphaInitializer = 'zeros',
      alphaRegularizer = null,
      alphaConstraint = null,
      sharedAxes = null,
    } = args;
    this.alphaInitializer = initializers.get(alphaInitializer);
    this.alphaRegularizer = alphaRegularizer ? regularizers.get(alphaRegularizer) : null;
    this.alphaConstraint = alphaConstraint ? constraints.get(alphaConstraint) : null;
    this.sharedAxes =
      sharedAxes === null ? null : Array.isArray(sharedAxes) ? [...sharedAxes] : [sharedAxes];
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const paramShape = inputShape.slice(1);
    for (const axis of this.sharedAxes ?? []) {
      if (!Number.isInteger(axis) || axis < 1 || axis >= inputShape.length) {
        throw new ValueError(
          `${this.who}: shared_axes entries must be axes 1..${inputShape.length - 1} of the input (shape [${inputShape.join(', ')}]). Received: shared_axes=${JSON.stringify(this.sharedAxes)}.`,
        );
      }
      paramShape[axis - 1] = 1;
    }
    const shape = paramShape.map((d, i) => {
      if (d == null) {
        throw new ValueError(
          `${this.who}: axis ${i + 1} has unknown size in input shape [${inputShape.join(', ')}]; share it with shared_axes.`,
        );
      }
      return d;
    });
    this.alpha = this.addWeight({
      name: 'alpha',
      shape,
      initializer: this.alphaInitializer,
      regularizer: this.alphaRegularizer,
      constraint: this.alphaConstraint,
    });
    const axes: Record<number, number> = {};
    inputShape.forEach((d, i) => {
      if (i > 0 && d != null && !(this.sharedAxes ?? []).includes(i)) axes[i] = d;
    });
    this.inputSpec = new InputSpec({ ndim: inputShape.length, axes });
  }

  override call(inputs: tf.Tensor): tf.Tensor {
    return tf.sub(tf.relu(inputs), tf.mul(this.alpha.read(), tf.relu(tf.neg(inputs))));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      alpha_initializer: serializeOptional(this.alphaInitializer),
      alpha_regularizer: serializeOptional(this.alphaRegularizer),
      alpha_constraint: serializeOptional(this.alphaConstraint),
      shared_axes: this.sharedAxes,
    };
  }
}

registerKerasClass('keras.layers', PReLU);
