import { ValueError } from '../../errors/errors.js';
import type { Shape } from '../../engine/input-spec.js';
import { formatShape } from '../../engine/naming.js';

/** A non-negative axis for `shape`, or a ValueError naming the layer, the axis and the shape. */
export function resolveAxis(axis: number, shape: Shape, who: string): number {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis >= rank || axis < -rank) {
    throw new ValueError(
      `${who}: axis ${axis} is out of bounds for input of rank ${rank} (shape ${formatShape(shape)}). Received: axis=${axis}.`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** The known size of `shape[axis]`, or a ValueError (weights need it). */
export function knownDim(shape: Shape, axis: number, who: string): number {
  const dim = shape[axis];
  if (dim == null) {
    throw new ValueError(
      `${who}: axis ${axis} of the input must have a known size, received shape ${formatShape(shape)}.`,
    );
  }
  return dim;
}
