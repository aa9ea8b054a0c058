import { describe, expect, it } from 'vitest';
import * as tuner from './index.js';

describe('@cornu/tuner public surface', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(tuner).sort()).toEqual([
      'BaseTuner',
      'BayesianOptimization',
      'BayesianOptimizationOracle',
      'BooleanChoice',
      'Choice',
      'Fixed',
      'Float',
      'FunctionHyperModel',
      'FunctionTuner',
      'GaussianProcess',
      'GridSearch',
      'GridSearchOracle',
      'HyperImageAugment',
      'HyperMLP',
      'HyperModel',
      'HyperParameter',
      'HyperParameters',
      'Hyperband',
      'HyperbandOracle',
      'Int',
      'MedianPruner',
      'Objective',
      'Oracle',
      'RandomChoice',
      'RandomSearch',
      'RandomSearchOracle',
      'SuccessiveHalvingPruner',
      'TPEOracle',
      'Trial',
      'Tuner',
      'decodeWeights',
      'encodeWeights',
      'fitModel',
    ]);
  });
});
