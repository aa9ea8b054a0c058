import type { KerasTensor } from './keras-tensor.js';
import type { Layer } from './layer.js';
import type { Model } from './model.js';

/** Keras's `readable_memory_size`: `215.04 KB`. */
export function readableMemorySize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

/** `(None, 28, 28, 1)`, as Keras prints shapes. */
export function formatKerasShape(shape: readonly (number | null)[]): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

const groupDigits = (n: number): string => n.toLocaleString('en-US');

function layerOutputShape(layer: Layer, relevant?: Set<unknown>): string {
  const nodes = layer.inboundNodes.filter((n) => !relevant || relevant.has(n));
  const node = nodes.at(-1) ?? layer.inboundNodes.at(-1);
  if (!node) return '?';
  const shapes = node.outputs.map((t: KerasTensor) => formatKerasShape(t.shape));
  return shapes.length === 1 && !node.outputsIsList
    ? (shapes[0] as string)
    : `[${shapes.join(', ')}]`;
}

function layerConnections(layer: Layer, model: Model, relevant?: Set<unknown>): string[] {
  const graph = (
    model as unknown as {
      _graph?: { nodeIndex(n: unknown): number; history(t: KerasTensor): [string, number, number] };
    }
  )._graph;
  const parts: string[] = [];
  for (const node of layer.inboundNodes) {
    if (relevant && !relevant.has(node)) continue;
    for (const t of node.inputTensors) {
      const [name, nodeIndex, tensorIndex] = graph
        ? graph.history(t)
        : (t.kerasHistory ?? [t.name, 0, 0]);
      parts.push(`${name}[${nodeIndex}][${tensorIndex}]`);
    }
  }
  return parts.length > 0 ? parts : ['-'];
}

function paramsOf(layer: Layer): string {
  return layer.built ? groupDigits(layer.countParams()) : '0 (unbuilt)';
}

/** Weight count of distinct variables (shared layers counted once). */
function countOf(weights: { size: number }[]): number {
  return weights.reduce((n, w) => n + w.size, 0);
}

/**
 * The text of `model.summary()`: Keras 3's table (box-drawn), with a "Connected to" column for
 * graphs that are not a simple chain, followed by total / trainable / non-trainable parameters.
 */
export function summaryText(model: Model, lineLength?: number): string {
  const graph = (
    model as unknown as { _graph?: { nodes: unknown[]; nodeSet: Set<unknown>; layers: Layer[] } }
  )._graph;
  const isSequential = model.className === 'Sequential';
  let sequentialLike = true;
  if (graph && !isSequential) {
    const seen = new Set<Layer>();
    for (const node of graph.nodes as { inputTensors: unknown[]; layer: Layer }[]) {
      if (node.inputTensors.length > 1 || seen.has(node.layer)) sequentialLike = false;
      seen.add(node.layer);
    }
    if (model.inputs.length > 1) sequentialLike = false;
    // A branching graph: some tensor is consumed by more than one node.
    const consumers = new Map<unknown, number>();
    for (const node of graph.nodes as { inputTensors: unknown[] }[]) {
      for (const t of node.inputTensors) consumers.set(t, (consumers.get(t) ?? 0) + 1);
    }
    for (const count of consumers.values()) if (count > 1) sequentialLike = false;
    if (model.outputs.length > 1) sequentialLike = false;
  }
  const relevant = graph?.nodeSet;
  const headers = sequentialLike
    ? ['Layer (type)', 'Output Shape', 'Param #']
    : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];
  const rows: string[][][] = model.layers.map((layer) => {
    const cells = [
      [`${layer.name} (${layer.className})`],
      [layerOutputShape(layer, relevant)],
      [paramsOf(layer)],
    ];
    if (!sequentialLike) cells.push(layerConnections(layer, model, relevant));
    return cells;
  });
  const total = lineLength ?? (sequentialLike ? 88 : 108);
  const positions = sequentialLike ? [0.45, 0.8, 1] : [0.3, 0.6, 0.7, 1];
  const widths = positions.map(
    (p, i) =>
      Math.round(total * p) - Math.round(total * (i === 0 ? 0 : (positions[i - 1] as number))) - 3,
  );
  for (const cells of rows) {
    cells.forEach((lines, c) => {
      for (const line of lines) widths[c] = Math.max(widths[c] as number, line.length);
    });
  }
  headers.forEach((h, c) => {
    widths[c] = Math.max(widths[c] as number, h.length);
  });
  const align = (text: string, c: number) =>
    c === 2 ? text.padStart(widths[c] as number) : text.padEnd(widths[c] as number);
  const rule = (left: string, mid: string, right: string, fill: string) =>
    left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
  const out: string[] = [`Model: "${model.name}"`];
  out.push(rule('┏', '┳', '┓', '━'));
  out.push(`┃${headers.map((h, c) => ` ${align(h, c)} `).join('┃')}┃`);
  out.push(rule('┡', '╇', '┩', '━'));
  rows.forEach((cells, r) => {
    const height = Math.max(...cells.map((l) => l.length));
    for (let i = 0; i < height; i++) {
      out.push(`│${cells.map((lines, c) => ` ${align(lines[i] ?? '', c)} `).join('│')}│`);
    }
    if (r < rows.length - 1) out.push(rule('├', '┼', '┤', '─'));
  });
  out.push(rule('└', '┴', '┘', '─'));
  const built = model.built;
  const trainable = built ? countOf(model.trainableWeights) : 0;
  const nonTrainable = built ? countOf(model.nonTrainableWeights) : 0;
  const bytes = (n: number) => readableMemorySize(n * 4);
  out.push(
    ` Total params: ${groupDigits(trainable + nonTrainable)} (${bytes(trainable + nonTrainable)})`,
  );
  out.push(` Trainable params: ${groupDigits(trainable)} (${bytes(trainable)})`);
  out.push(` Non-trainable params: ${groupDigits(nonTrainable)} (${bytes(nonTrainable)})`);
  return out.join('\n');
}
