/**
 * `@cornu/core/testing`: the shared layer test harness (Keras's `run_layer_test`) and a
 * finite-difference gradient checker, for tests of Cornu layers and of user layers.
 */
export {
  checkGradientsNumerically,
  type GradientCheckOptions,
  type GradientCheckResult,
} from './check-gradients.js';
export {
  disposeWithMasks,
  type LayerTestOptions,
  type LayerTestReport,
  runLayerTest,
  type TestableLayerClass,
} from './run-layer-test.js';
