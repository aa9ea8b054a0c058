import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../test-fixtures/datasets/', import.meta.url);

function readCsv(name: string): { features: number[][]; labels: number[] } {
  const rows = readFileSync(new URL(name, FIXTURES), 'utf8').trim().split('\n').slice(1);
  const features: number[][] = [];
  const labels: number[] = [];
  for (const row of rows) {
    const values = row.split(',').map(Number);
    labels.push(values.pop()!);
    features.push(values);
  }
  return { features, labels };
}

/**
 * scikit-learn's breast-cancer data (569 rows): `malignant` 1/0 and a score in [0, 1], the
 * "worst concave points" feature divided by its maximum (a strong single-feature predictor).
 */
export function breastCancer(): { malignant: number[]; score: number[] } {
  const { features, labels } = readCsv('breast_cancer.csv');
  const raw = features.map((f) => f[27]!);
  const max = Math.max(...raw);
  return { malignant: labels.map((l) => (l === 0 ? 1 : 0)), score: raw.map((v) => v / max) };
}

/** Fisher's iris (150 rows): labels 0..2 and a simple petal-length rule's predicted class. */
export function iris(): { labels: number[]; predicted: number[]; features: number[][] } {
  const { features, labels } = readCsv('iris.csv');
  const predicted = features.map((f) => (f[2]! < 2.5 ? 0 : f[2]! < 4.8 ? 1 : 2));
  return { labels, predicted, features };
}
