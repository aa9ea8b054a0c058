export * as cifar10 from './cifar10.js';
export * as digits from './digits.js';
export type { DownloadArgs } from './download.js';
export * as fashionMnist from './fashion-mnist.js';
export * as imdb from './imdb.js';
export * as mnist from './mnist.js';
export * as reuters from './reuters.js';
