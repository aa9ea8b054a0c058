import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import type { ConstraintIdentifier } from '../../constraints/index.js';
import type { Constraint } from '../../constraints/constraint.js';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import type { Initializer } from '../../initializers/initializer.js';
import type { RegularizerIdentifier } from '../../regularizers/index.js';
import * as regularizers from '../../regularizers/index.js';
import * as constraints from '../../constraints/index.js';
import type { Regularizer } from '../../regularizers/regularizer.js';
import { type Config, type KerasObjectDict, registerKerasClass } from '../../saving/registry.js';
import { assertNotQuantized } from './quantization-config.js';

/** Arguments of `new Dense(...)`. */
export interface DenseArgs extends LayerArgs {
  /** Output size (last dimension). */
  units: number;
  /** Activation applied to the output, by name or function. @default null (linear) */
  activation?: activations.ActivationIdentifier;
  /** Whether to add a bias vector. @default true */
  useBias?: boolean;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  /** @default null */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** @default null */
  biasRegularizer?: RegularizerIdentifier | null;
  /** @default null */
  kernelConstraint?: ConstraintIdentifier | null;
  /** @default null */
  biasConstraint?: ConstraintIdentifier | null;
  /** Keras 3 quantization; Cornu runs float weights only, so only null is accepted. @default null */
  quantizationConfig?: KerasObjectDict | null;
}

/**
 * Densely connected layer: `activation(inputs · kernel + bias)` over the last axis (inputs of
 * rank > 2 keep their leading dimensions). Kernel shape `[inputDim, units]`.
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  readonly units: number;
  readonly activation: activations.ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  readonly kernelConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(args: DenseArgs) {
    const {
      units,
      activation = null,
      useBias = true,
      kernelInitializer = 'glorot_uniform',
      biasInitializer = 'zeros',
      kernelRegularizer = null,
      biasRegularizer = null,
      kernelConstraint = null,
      biasConstraint = null,
      quantizationConfig = null,
      ...base
    } = args;
    super(base);
    assertNotQuantized(this.who, quantizationConfig);
    if (!Number.isInteger(units) || units <= 0) {
      throw new ValueError(
        `${this.who}: units must be a positive integer. Received: units=${units}.`,
      );
    }
    this.units = units;
    this.activation = activations.get(activation);
    this.useBias = useBias;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    if (kernelRegularizer) this.kernelRegularizer = regularizers.get(kernelRegularizer);
    if (biasRegularizer) this.biasRegularizer = regularizers.get(biasRegularizer);
    if (kernelConstraint) this.kernelConstraint = constraints.get(kernelConstraint);
    if (biasConstraint) this.biasConstraint = constraints.get(biasConstraint);
    this.inputSpec = new InputSpec({ minNdim: 2 });
    this.supportsMasking = true;
  }

  override build(inputShape: Shape): void {
    const inputDim = inputShape.at(-1);
    if (inputDim == null) {
      throw new ValueError(
        `${this.who}: the last dimension of the input must be known, received shape ${JSON.stringify(inputShape)}.`,
      );
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [inputDim, this.units],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer ?? null,
      constraint: this.kernelConstraint ?? null,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: [this.units],
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer ?? null,
        constraint: this.biasConstraint ?? null,
      });
    }
    this.inputSpec = new InputSpec({ minNdim: 2, axes: { [-1]: inputDim } });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = inputs as tf.Tensor;
    const kernel = (this.kernel as LayerVariable).read() as tf.Tensor2D;
    return tf.tidy(() => {
      let y: tf.Tensor;
      if (x.rank === 2) y = tf.matMul(x as tf.Tensor2D, kernel);
      else {
        const lead = x.shape.slice(0, -1);
        y = tf.reshape(tf.matMul(tf.reshape(x, [-1, x.shape.at(-1) as number]), kernel), [
          ...lead,
          this.units,
        ]);
      }
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activation(y);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activations.serialize(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serializeOptional(this.kernelInitializer),
      bias_initializer: serializeOptional(this.biasInitializer),
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: serializeOptional(this.biasRegularizer),
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: serializeOptional(this.biasConstraint),
      quantization_config: null,
    };
  }
}

registerKerasClass('keras.layers', Dense);
