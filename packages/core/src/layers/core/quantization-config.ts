/**
 * Keras 3's `quantization_config` of Dense, EinsumDense and Embedding. Cornu runs float weights
 * only: configs carry `quantization_config: null`, and a quantized layer is refused clearly.
 */
import { NotImplementedError } from '../../errors/errors.js';
import type { KerasObjectDict } from '../../saving/registry.js';

/** Throws unless `quantizationConfig` is null or absent. */
export function assertNotQuantized(
  who: string,
  quantizationConfig: KerasObjectDict | null | undefined,
): void {
  if (quantizationConfig === null || quantizationConfig === undefined) return;
  throw new NotImplementedError(
    `${who}: quantized layers are not supported; expected quantizationConfig=null, received ${JSON.stringify(quantizationConfig)}. Fix: save the float model from Keras before quantizing it.`,
  );
}
