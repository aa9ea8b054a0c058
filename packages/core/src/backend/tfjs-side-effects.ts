/**
 * The CommonJS build of tfjs-core that Node loads (tf-core.node.js) registers neither the
 * gradient functions nor the chained tensor methods (`x.reshape(...)`). tfjs's union package
 * bundles them; Cornu bundles the same two side-effect modules (tsup `noExternal`). They register
 * into tfjs's global registries, so they serve the one tfjs-core copy the engines use.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
