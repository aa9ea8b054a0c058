/**
 * Cornu's small error hierarchy. Messages name the argument, the received value, the expected
 * value and, where one exists, the fix.
 */
export class CornuError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An argument or input has the wrong value, shape or type. */
export class ValueError extends CornuError {}

/** Something named (an engine, a class, a file, a key) could not be found. */
export class NotFoundError extends CornuError {}

/** A requested feature is not available in this environment or not implemented for this input. */
export class NotImplementedError extends CornuError {}

/** An object is used in a state that does not allow the call (e.g. fit before compile). */
export class RuntimeError extends CornuError {}
