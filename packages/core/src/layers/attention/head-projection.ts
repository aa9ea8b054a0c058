import * as tf from '@tensorflow/tfjs-core';
import type { Constraint } from '../../constraints/constraint.js';
import { assertInputCompatibility, InputSpec } from '../../engine/input-spec.js';
import { Layer, type LayerArgs, type Shape } from '../../engine/layer.js';
import type { LayerVariable } from '../../engine/layer-variable.js';
import { ValueError } from '../../errors/errors.js';
import type { Initializer } from '../../initializers/initializer.js';
import type { Regularizer } from '../../regularizers/regularizer.js';

/** Arguments of `HeadProjection` (the attention layers create it; it is not a public layer). */
export interface HeadProjectionArgs extends LayerArgs {
  /** How many trailing input axes are contracted with the leading kernel axes. */
  contractedAxes: number;
  /** Kernel dimensions after the contracted ones (the output's trailing shape). */
  outputDims: number[];
  useBias: boolean;
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
  kernelRegularizer?: Regularizer;
  biasRegularizer?: Regularizer;
  kernelConstraint?: Constraint;
  biasConstraint?: Constraint;
}

/**
 * The EinsumDense projections of Keras's attention layers, as one matMul: the last
 * `contractedAxes` input axes are contracted with the first kernel axes.
 * `'abc,cde->abde'` (query/key/value: kernel `[dim, heads, headDim]`, bias `[heads, headDim]`) and
 * `'abcd,cde->abe'` (output: kernel `[heads, headDim, dim]`, bias `[dim]`).
 */
export class HeadProjection extends Layer {
  /** Keras's class for these sublayers (not registered: the attention layers rebuild them in build). */
  static override readonly className: string = 'EinsumDense';
  readonly contractedAxes: number;
  readonly outputDims: number[];
  readonly useBias: boolean;
  readonly settings: Omit<
    HeadProjectionArgs,
    keyof LayerArgs | 'contractedAxes' | 'outputDims' | 'useBias'
  >;
  kernel?: LayerVariable;
  bias?: LayerVariable;

  constructor(args: HeadProjectionArgs) {
    const {
      contractedAxes,
      outputDims,
      useBias,
      kernelInitializer,
      biasInitializer,
      kernelRegularizer,
      biasRegularizer,
      kernelConstraint,
      biasConstraint,
      ...layerArgs
    } = args;
    super(layerArgs);
    this.contractedAxes = contractedAxes;
    this.outputDims = outputDims;
    this.useBias = useBias;
    this.settings = {
      kernelInitializer,
      biasInitializer,
      kernelRegularizer,
      biasRegularizer,
      kernelConstraint,
      biasConstraint,
    };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const contracted = shape.slice(-this.contractedAxes);
    if (contracted.some((d) => d === null)) {
      throw new ValueError(
        `${this.who}: the last ${this.contractedAxes} input dimension(s) must be known, received shape ${JSON.stringify(shape)}.`,
      );
    }
    const s = this.settings;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...(contracted as number[]), ...this.outputDims],
      initializer: s.kernelInitializer,
      regularizer: s.kernelRegularizer ?? null,
      constraint: s.kernelConstraint ?? null,
    });
    if (this.useBias) {
      this.bias = this.addWeight({
        name: 'bias',
        shape: this.outputDims,
        initializer: s.biasInitializer,
        regularizer: s.biasRegularizer ?? null,
        constraint: s.biasConstraint ?? null,
      });
    }
    this.inputSpec = new InputSpec({
      minNdim: this.contractedAxes + 1,
      axes: Object.fromEntries(contracted.map((d, i) => [i - contracted.length, d as number])),
    });
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    const kernel = (this.kernel as LayerVariable).read();
    const lead = x.shape.slice(0, x.rank - this.contractedAxes);
    const inSize = kernel.shape.slice(0, this.contractedAxes).reduce((a, b) => a * b, 1);
    const outSize = this.outputDims.reduce((a, b) => a * b, 1);
    let y = tf.matMul(tf.reshape(x, [-1, inSize]), tf.reshape(kernel, [inSize, outSize]));
    if (this.bias) y = tf.add(y, tf.reshape(this.bias.read(), [outSize]));
    return tf.reshape(y, [...lead, ...this.outputDims]);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    return [...shape.slice(0, shape.length - this.contractedAxes), ...this.outputDims];
  }
}

/**
 * Checks the `[query, value?, key?]` shapes of an attention layer against its built projections
 * (value defaults to query, key to value), in the attention layer's words (`who`):
 * `MultiHeadAttention 'mha': expected value with last dimension 4, received shape [null, 3, 5].`
 * `queryNdim` pins the query's rank (attention axes were resolved for it).
 */
export function assertAttentionInputs(
  who: string,
  projections: { query?: HeadProjection; value?: HeadProjection; key?: HeadProjection },
  shapes: Shape[],
  queryNdim?: number,
): void {
  const [query, value = query, key = value] = shapes;
  const checks: [string, HeadProjection | undefined, Shape | undefined][] = [
    ['query', projections.query, query],
    ['value', projections.value, value],
    ['key', projections.key, key],
  ];
  for (const [name, projection, shape] of checks) {
    const spec = projection?.inputSpec;
    if (!shape || !(spec instanceof InputSpec)) continue;
    const rank = name === 'query' && queryNdim !== undefined ? { ndim: queryNdim } : {};
    assertInputCompatibility(
      who,
      new InputSpec({ minNdim: spec.minNdim ?? 1, ...rank, axes: spec.axes ?? {}, name }),
      [{ shape, dtype: projection?.dtype ?? 'float32' }],
    );
  }
}
