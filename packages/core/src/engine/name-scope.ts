/**
 * Keras 3's layer name scopes, which give weights their `path`: a weight created while layer
 * `mha` builds its sublayer `query` gets the path `mha/query/kernel`, and a model built lazily
 * gives `sequential/dense/kernel`. A layer opens its scope around its build and its call; a scope
 * that is already the innermost one is not opened twice.
 */

/** The layers whose scopes are open, outermost first. */
const open: { readonly name: string }[] = [];

/** Runs `fn` inside `layer`'s name scope. */
export function withNameScope<T>(layer: { readonly name: string }, fn: () => T): T {
  if (open.at(-1) === layer) return fn();
  open.push(layer);
  try {
    return fn();
  } finally {
    open.pop();
  }
}

/** The path of a weight `name` that `layer` creates now: the open scopes, then `layer`, then `name`. */
export function weightPath(layer: { readonly name: string }, name: string): string {
  const names = open.map((l) => l.name);
  if (open.at(-1) !== layer) names.push(layer.name);
  return [...names, name].join('/');
}
