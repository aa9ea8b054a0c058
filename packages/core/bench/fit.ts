/**
 * fit benchmark: samples/s of training (batch 128, Adam, categorical crossentropy on random data)
 * for the MLP 784-256-256-10 and the CNN Conv2D(32,3)-relu-MaxPool(2)-Conv2D(64,3)-relu-MaxPool(2)-
 * Flatten-Dense(10) on 28x28x1, three ways on the same engine, in the same process:
 * - `cornu`       : Cornu's `model.fit` (verbose 0, shuffled batches, the loss tracker updated every step),
 * - `tfjs-layers` : @tensorflow/tfjs-layers' `model.fit` (same tfjs-core instance, same engine),
 * - `plain`       : a hand-written tfjs loop (`tf.variableGrads` + `tf.train.adam`), contiguous batches,
 * and, in a child process, tfjs-layers' `model.fit` on the stock wasm engine (no Cornu kernel: what a
 * tfjs-layers user gets from tfjs-backend-wasm; see bench/engine.ts for why stock wasm needs its own
 * process). On Cornu's engine tfjs-layers runs on Cornu's kernels too, so that ratio measures the
 * fit loops alone; the stock ratio measures what Cornu adds as a whole.
 * Each run trains the same number of steps (what the plain loop does in `--seconds=2`), after a
 * warm-up fit of two steps; the three run interleaved `--rounds=2` times and the best rate of each
 * is reported. Run: `pnpm bench:fit` (after `pnpm build`; it uses core's dist).
 * Targets (issue 4): cornu >= 3x tfjs-layers on wasm, and within 10% of the plain loop.
 */
import { spawnSync } from 'node:child_process';
import * as tfl from '@tensorflow/tfjs-layers';
import { backend, layers, losses, type Model, optimizers, Sequential, tf } from '@cornu/core';

const BATCH = 128;
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = flag('seconds', 2);
const rounds = flag('rounds', 2);

type ModelName = 'mlp' | 'cnn';
const INPUT: Record<ModelName, number[]> = { mlp: [784], cnn: [28, 28, 1] };

/** The plain loop's weights: Glorot-uniform kernels, zero biases. */
function glorot(shape: number[], fanIn: number, fanOut: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', 7));
}

interface PlainModel {
  variables: tf.Variable[];
  logits(x: tf.Tensor): tf.Tensor;
}

function plainModel(name: ModelName): PlainModel {
  if (name === 'mlp') {
    const v = [
      glorot([784, 256], 784, 256),
      tf.variable(tf.zeros([256])),
      glorot([256, 256], 256, 256),
      tf.variable(tf.zeros([256])),
      glorot([256, 10], 256, 10),
      tf.variable(tf.zeros([10])),
    ];
    const [w1, b1, w2, b2, w3, b3] = v as [
      tf.Variable,
      tf.Variable,
      tf.Variable,
      tf.Variable,
      tf.Variable,
      tf.Variable,
    ];
    return {
      variables: v,
      logits: (x) =>
        tf.add(
          tf.matMul(tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2)), w3),
          b3,
        ),
    };
  }
  const v = [
    glorot([3, 3, 1, 32], 9, 288),
    tf.variable(tf.zeros([32])),
    glorot([3, 3, 32, 64], 288, 576),
    tf.variable(tf.zeros([64])),
    glorot([1600, 10], 1600, 10),
    tf.variable(tf.zeros([10])),
  ];
  const [k1, c1, k2, c2, w, b] = v as [
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
    tf.Variable,
  ];
  return {
    variables: v,
    logits: (x) => {
      const h1 = tf.maxPool(
        tf.relu(
          tf.add(tf.conv2d(x as tf.Tensor4D, k1 as tf.Tensor4D, 1, 'valid'), c1),
        ) as tf.Tensor4D,
        2,
        2,
        'valid',
      );
      const h2 = tf.maxPool(
        tf.relu(tf.add(tf.conv2d(h1, k2 as tf.Tensor4D, 1, 'valid'), c2)) as tf.Tensor4D,
        2,
        2,
        'valid',
      );
      return tf.add(tf.matMul(tf.reshape(h2, [-1, 1600]), w), b);
    },
  };
}

function cornuModel(name: ModelName): Model {
  const body =
    name === 'mlp'
      ? [
          new layers.Dense({ units: 256, activation: 'relu', inputShape: [784] }),
          new layers.Dense({ units: 256, activation: 'relu' }),
        ]
      : [
          new layers.Conv2D({
            filters: 32,
            kernelSize: 3,
            activation: 'relu',
            inputShape: [28, 28, 1],
          }),
          new layers.MaxPooling2D({ poolSize: 2 }),
          new layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
          new layers.MaxPooling2D({ poolSize: 2 }),
          new layers.Flatten(),
        ];
  const model = new Sequential({
    layers: [...body, new layers.Dense({ units: 10 })],
  });
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 1e-3 }),
    loss: new losses.CategoricalCrossentropy({ fromLogits: true }),
  });
  return model;
}

function tflModel(name: ModelName): tfl.LayersModel {
  const body =
    name === 'mlp'
      ? [
          tfl.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
          tfl.layers.dense({ units: 256, activation: 'relu' }),
        ]
      : [
          tfl.layers.conv2d({
            filters: 32,
            kernelSize: 3,
            activation: 'relu',
            inputShape: [28, 28, 1],
          }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
        ];
  const model = tfl.sequential({
    layers: [...body, tfl.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

function data(name: ModelName, steps: number): { x: tf.Tensor; y: tf.Tensor } {
  const n = steps * BATCH;
  return tf.tidy(() => ({
    x: tf.randomUniform([n, ...INPUT[name]], 0, 1, 'float32', 1),
    y: tf.oneHot(tf.randomUniform([n], 0, 10, 'int32', 2), 10).toFloat(),
  }));
}

/** The plain loop: returns the steps it ran in `seconds` and its samples/s. */
function plain(
  name: ModelName,
  x: tf.Tensor,
  y: tf.Tensor,
  maxSteps: number | null,
): { steps: number; samplesPerSecond: number } {
  const model = plainModel(name);
  const optimizer = tf.train.adam(1e-3);
  const total = x.shape[0]! / BATCH;
  const step = (i: number): tf.Scalar =>
    tf.tidy(() => {
      const start = (i % total) * BATCH;
      const xb = tf.slice(x, start, BATCH);
      const yb = tf.slice(y, start, BATCH);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(yb, model.logits(xb)) as tf.Scalar,
        model.variables,
      );
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      return value;
    });
  tf.dispose([step(0), step(1)]);
  const begin = performance.now();
  let steps = 0;
  let last: tf.Scalar | null = null;
  while (
    maxSteps === null ? steps < 3 || performance.now() - begin < seconds * 1000 : steps < maxSteps
  ) {
    last?.dispose();
    last = step(steps);
    steps++;
  }
  last?.dataSync();
  last?.dispose();
  const elapsed = performance.now() - begin;
  tf.dispose(model.variables);
  optimizer.dispose();
  return { steps, samplesPerSecond: (steps * BATCH * 1000) / elapsed };
}

async function timeFit(
  fit: (x: tf.Tensor, y: tf.Tensor) => Promise<unknown>,
  x: tf.Tensor,
  y: tf.Tensor,
): Promise<number> {
  const warm = [tf.slice(x, 0, 2 * BATCH), tf.slice(y, 0, 2 * BATCH)] as const;
  await fit(warm[0], warm[1]);
  tf.dispose([...warm]);
  const begin = performance.now();
  await fit(x, y);
  return (x.shape[0]! * 1000) / (performance.now() - begin);
}

async function cornu(name: ModelName, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const model = cornuModel(name);
  const rate = await timeFit(
    (xs, ys) => model.fit(xs, ys, { batchSize: BATCH, epochs: 1, verbose: 0 }),
    x,
    y,
  );
  const before = tf.memory().numTensors;
  await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 });
  if (tf.memory().numTensors !== before)
    console.warn(`cornu ${name}: a fit leaked ${tf.memory().numTensors - before} tensors`);
  model.dispose();
  return rate;
}

async function tfjsLayers(name: ModelName, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const model = tflModel(name);
  const rate = await timeFit(
    (xs, ys) => model.fit(xs, ys, { batchSize: BATCH, epochs: 1, verbose: 0 }),
    x,
    y,
  );
  model.dispose();
  return rate;
}

/** The child process: tfjs-layers' fit on tfjs's own wasm backend, never backend.ready(). */
async function stockChild(name: ModelName, steps: number): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm')))
    throw new Error('the stock wasm backend failed to initialise');
  const { x, y } = data(name, steps);
  let rate = 0;
  for (let round = 0; round < rounds; round++) rate = Math.max(rate, await tfjsLayers(name, x, y));
  process.stdout.write(`${JSON.stringify({ rate })}\n`);
}

/** tfjs-layers' fit on stock wasm in a child process: samples/s, or why it failed. */
function stockTfjsLayers(name: ModelName, steps: number): number | string {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, ...args, `--stock-child=${name}:${steps}`],
    { encoding: 'utf8', env: { ...process.env, CORNU_QUIET: '1' }, maxBuffer: 1 << 20 },
  );
  try {
    return (JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as { rate: number }).rate;
  } catch {
    const lines = child.stderr.trim().split('\n');
    const why =
      lines.find((l) => /not registered/.test(l)) ??
      lines.find((l) => /^\s*\w*Error:/.test(l)) ??
      `exit ${child.status}`;
    return `fails (${why.trim().slice(0, 60)})`;
  }
}

async function main(): Promise<void> {
  const child = args.find((a) => a.startsWith('--stock-child='))?.split('=')[1];
  if (child) {
    const [name, steps] = child.split(':') as [ModelName, string];
    return stockChild(name, Number(steps));
  }
  const engine = await backend.ready();
  // tfjs-layers must drive the very tfjs-core Cornu runs on (one engine, one registry of kernels).
  const probe = tfl.layers.dense({ units: 1 }).apply(tf.ones([1, 1])) as tf.Tensor;
  if (!(probe instanceof tf.Tensor) || (tf.getBackend() !== 'wasm' && engine === 'wasm')) {
    throw new Error('tfjs-layers resolved a different @tensorflow/tfjs-core copy than @cornu/core');
  }
  probe.dispose();
  console.log(
    `engine: ${engine} (tfjs-core ${tf.version_core}, tfjs-layers ${tfl.version_layers}), batch ${BATCH}, Adam`,
  );
  console.log(
    'model  cornu fit          tfjs-layers fit    plain loop         tfjs-layers fit       cornu/tfjs-layers  cornu/plain  cornu/tfjs-layers',
  );
  console.log(
    '       (Cornu engine)     (Cornu engine)     (Cornu engine)     (stock wasm)          (same engine)                   (stock wasm)',
  );
  for (const name of ['mlp', 'cnn'] as const) {
    const probeData = data(name, 2);
    const { steps } = plain(name, probeData.x, probeData.y, null);
    tf.dispose([probeData.x, probeData.y]);
    const { x, y } = data(name, steps);
    // Interleaved rounds, best of each: a burst of load elsewhere on the machine hits one round.
    let [plainRate, cornuRate, tflRate] = [0, 0, 0];
    for (let round = 0; round < rounds; round++) {
      plainRate = Math.max(plainRate, plain(name, x, y, steps).samplesPerSecond);
      cornuRate = Math.max(cornuRate, await cornu(name, x, y));
      tflRate = Math.max(tflRate, await tfjsLayers(name, x, y));
    }
    tf.dispose([x, y]);
    const stock = engine === 'wasm' ? stockTfjsLayers(name, steps) : 'n/a (not on wasm)';
    const fmt = (r: number) => `${r.toFixed(0).padStart(7)} samples/s`;
    const stockText = typeof stock === 'number' ? fmt(stock) : stock;
    const stockRatio = typeof stock === 'number' ? `${(cornuRate / stock).toFixed(2)}x` : '-';
    console.log(
      `${name.padEnd(6)} ${fmt(cornuRate)}  ${fmt(tflRate)}  ${fmt(plainRate)}  ${stockText.padEnd(20)}  ${(cornuRate / tflRate).toFixed(2).padStart(16)}x  ${(cornuRate / plainRate).toFixed(2).padStart(10)}x  ${stockRatio.padStart(16)}`,
    );
  }
}

await main();
