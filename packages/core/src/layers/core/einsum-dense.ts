import * as tf from '@tensorflow/tfjs-core';
import * as activations from '../../activations/index.js';
import type { Constraint } from '../../constraints/constraint.js';
import * as constraints from '../../constraints/index.js';
import { InputSpec, type Shape } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, serializeOptional } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import * as initializers from '../../initializers/index.js';
import type { Initializer } from '../../initializers/initializer.js';
import * as regularizers from '../../regularizers/index.js';
import type { Regularizer } from '../../regularizers/regularizer.js';
import {
  type Config,
  type ConfigValue,
  type KerasObjectDict,
  registerKerasClass,
} from '../../saving/registry.js';
import { assertNotQuantized } from './quantization-config.js';
import { einsum } from './einsum.js';

/** Arguments of `new EinsumDense(...)`. */
export interface EinsumDenseArgs extends LayerArgs {
  /** `'<input>,<kernel>-><output>'`, e.g. `'ab,bc->ac'` or `'...b,bc->...c'`. */
  equation: string;
  /** Output shape without the batch dimension (null = same as the input there). */
  outputShape: number | (number | null)[];
  /** @default null (linear) */
  activation?: activations.ActivationIdentifier;
  /** Output labels that get a bias, e.g. `'c'`. @default null (no bias) */
  biasAxes?: string | null;
  /** @default 'glorot_uniform' */
  kernelInitializer?: initializers.InitializerIdentifier;
  /** @default 'zeros' */
  biasInitializer?: initializers.InitializerIdentifier;
  kernelRegularizer?: regularizers.RegularizerIdentifier | null;
  biasRegularizer?: regularizers.RegularizerIdentifier | null;
  kernelConstraint?: constraints.ConstraintIdentifier | null;
  biasConstraint?: constraints.ConstraintIdentifier | null;
  /** Keras 3 quantization; Cornu runs float weights only, so only null is accepted. @default null */
  quantizationConfig?: KerasObjectDict | null;
}

/** The labels of an EinsumDense equation and where its `...` sits. */
function parseEinsum(equation: string): {
  inputSpec: string;
  weightSpec: string;
  outputSpec: string;
  mode: 'none' | 'left' | 'right';
} {
  const dots = equation.replace(/\.\.\./g, '0');
  let m = /^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$/.exec(dots);
  let mode: 'none' | 'left' | 'right' = 'none';
  if (!m) {
    m = /^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$/.exec(dots);
    mode = 'left';
  }
  if (!m) {
    m = /^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$/.exec(dots);
    mode = 'right';
  }
  if (!m)
    throw new ValueError(
      `EinsumDense: invalid equation ${JSON.stringify(equation)}. Expected 'ab,bc->ac' with optional '...' at the start or end.`,
    );
  const [, inputSpec = '', weightSpec = '', outputSpec = ''] = m;
  return { inputSpec, weightSpec, outputSpec, mode };
}

/**
 * What later inputs must match once the kernel exists: the rank of the equation and the sizes of
 * the input axes the kernel contracts (axes counted from the end when `...` leads).
 */
function einsumInputSpec(equation: string, inputShape: Shape): InputSpec {
  const { inputSpec, weightSpec, mode } = parseEinsum(equation);
  const elided = inputShape.length - inputSpec.length;
  const axes: Record<number, number> = {};
  [...inputSpec].forEach((d, i) => {
    if (!weightSpec.includes(d)) return;
    const size = inputShape[mode === 'left' ? i + elided : i];
    if (size != null) axes[mode === 'left' ? i - inputSpec.length : i] = size;
  });
  return new InputSpec({
    ...(mode === 'none' ? { ndim: inputSpec.length } : { minNdim: inputSpec.length }),
    axes,
  });
}

/** Shapes worked out from the equation (Keras's `_analyze_einsum_string`). */
export function analyzeEinsum(
  equation: string,
  biasAxes: string | null,
  inputShape: Shape,
  outputShape: (number | null)[],
): { kernelShape: number[]; biasShape: number[] | null; fullOutputShape: Shape } {
  const { inputSpec, weightSpec, outputSpec, mode } = parseEinsum(equation);
  const elided = inputShape.length - inputSpec.length;
  const full: Shape = [inputShape[0] ?? null, ...outputShape];
  if (elided > 0 && mode === 'left')
    for (let i = 1; i < elided; i++) full.splice(1, 0, inputShape[i] ?? null);
  else if (elided > 0 && mode === 'right')
    for (let i = inputShape.length - elided; i < inputShape.length; i++)
      full.push(inputShape[i] ?? null);
  const inputIndex = new Map([...inputSpec].map((d, i) => [d, mode === 'left' ? i + elided : i]));
  const outputIndex = new Map([...outputSpec].map((d, i) => [d, mode === 'left' ? i + elided : i]));
  for (const d of inputSpec) {
    const inDim = inputShape[inputIndex.get(d) as number];
    if (outputIndex.has(d)) {
      const outDim = full[outputIndex.get(d) as number];
      if (outDim != null && inDim != null && outDim !== inDim) {
        throw new ValueError(
          `EinsumDense: input shape ${JSON.stringify(inputShape)} and output shape ${JSON.stringify(full)} disagree on dimension '${d}' of ${equation} (${inDim} vs ${outDim}).`,
        );
      }
      if (outDim == null) full[outputIndex.get(d) as number] = inDim ?? null;
    }
  }
  for (const d of outputSpec) {
    if (!inputSpec.includes(d) && !weightSpec.includes(d))
      throw new ValueError(
        `EinsumDense: output label '${d}' of ${equation} is in neither the input nor the kernel.`,
      );
  }
  const kernelShape = [...weightSpec].map((d) => {
    const dim = inputIndex.has(d)
      ? inputShape[inputIndex.get(d) as number]
      : outputIndex.has(d)
        ? full[outputIndex.get(d) as number]
        : undefined;
    if (dim == null)
      throw new ValueError(
        `EinsumDense: kernel dimension '${d}' of ${equation} is unknown for input shape ${JSON.stringify(inputShape)}.`,
      );
    return dim;
  });
  let biasShape: number[] | null = null;
  if (biasAxes) {
    for (const c of biasAxes)
      if (!outputSpec.includes(c))
        throw new ValueError(
          `EinsumDense: bias axis '${c}' is not an output label of ${equation}.`,
        );
    const first = Math.min(...[...biasAxes].map((c) => outputSpec.indexOf(c)));
    biasShape = [...outputSpec.slice(first)].map((c) =>
      biasAxes.includes(c) ? (full[outputIndex.get(c) as number] as number) : 1,
    );
    if (mode !== 'left') for (let i = 0; i < elided; i++) biasShape.push(1);
  }
  return { kernelShape, biasShape, fullOutputShape: full };
}

/**
 * A dense layer of any rank, described by an einsum equation between the input and the kernel
 * (Keras's EinsumDense; used by attention projections).
 */
export class EinsumDense extends Layer {
  static override readonly className = 'EinsumDense';
  readonly equation: string;
  readonly partialOutputShape: (number | null)[];
  readonly activation: activations.ActivationFn;
  readonly biasAxes: string | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer?: Regularizer;
  readonly biasRegularizer?: Regularizer;
  readonly kernelConstraint?: Constraint;
  readonly biasConstraint?: Constraint;
  kernel?: LayerVariable;
  bias?: LayerVariable;
  private fullOutputShape?: Shape;

  constructor(args: EinsumDenseArgs) {
    const {
      equation,
      outputShape,
      activation = null,
      biasAxes = null,
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
    this.equation = equation;
    this.partialOutputShape = typeof outputShape === 'number' ? [outputShape] : [...outputShape];
    this.activation = activations.get(activation);
    this.biasAxes = biasAxes;
    this.kernelInitializer = initializers.get(kernelInitializer);
    this.biasInitializer = initializers.get(biasInitializer);
    if (kernelRegularizer) this.kernelRegularizer = regularizers.get(kernelRegularizer);
    if (biasRegularizer) this.biasRegularizer = regularizers.get(biasRegularizer);
    if (kernelConstraint) this.kernelConstraint = constraints.get(kernelConstraint);
    if (biasConstraint) this.biasConstraint = constraints.get(biasConstraint);
  }

  override build(inputShape: Shape): void {
    const { kernelShape, biasShape, fullOutputShape } = analyzeEinsum(
      this.equation,
      this.biasAxes,
      inputShape,
      this.partialOutputShape,
    );
    this.fullOutputShape = fullOutputShape;
    this.inputSpec = einsumInputSpec(this.equation, inputShape);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: kernelShape,
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer ?? null,
      constraint: this.kernelConstraint ?? null,
    });
    if (biasShape) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: biasShape,
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer ?? null,
        constraint: this.biasConstraint ?? null,
      });
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let y = einsum(this.equation, inputs as tf.Tensor, (this.kernel as LayerVariable).read());
      if (this.bias) y = tf.add(y, this.bias.read());
      return this.activation(y);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return analyzeEinsum(this.equation, this.biasAxes, inputShape, this.partialOutputShape)
      .fullOutputShape;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      output_shape: this.partialOutputShape as ConfigValue,
      equation: this.equation,
      activation: activations.serialize(this.activation),
      bias_axes: this.biasAxes,
      kernel_initializer: serializeOptional(this.kernelInitializer),
      bias_initializer: serializeOptional(this.biasInitializer),
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: serializeOptional(this.biasRegularizer),
      activity_regularizer: serializeOptional(this.activityRegularizer),
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: serializeOptional(this.biasConstraint),
      quantization_config: null,
    };
  }
}

registerKerasClass('keras.layers', EinsumDense);
