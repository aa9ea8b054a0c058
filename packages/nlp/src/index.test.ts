import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Layer, metrics } from '@cornu/core';
import { describe, expect, it } from 'vitest';
import * as nlp from './index.js';

/** The exports by name (a plain copy, so names can be looked up in a loop). */
const surface: Record<string, { prototype: unknown }> = { ...nlp };

describe('@cornu/nlp public surface', () => {
  it('exports exactly these names (an accidental export or removal shows up here)', () => {
    expect(Object.keys(nlp).sort()).toMatchInlineSnapshot(`
      [
        "AlibiBias",
        "BeamSampler",
        "Bleu",
        "BytePairTokenizer",
        "ByteTokenizer",
        "CachedMultiHeadAttention",
        "ContrastiveSampler",
        "EditDistance",
        "FNetEncoder",
        "GreedySampler",
        "MaskedLMMaskGenerator",
        "MultiSegmentPacker",
        "Perplexity",
        "PositionEmbedding",
        "RandomDeletion",
        "RandomSampler",
        "RandomSwap",
        "ReversibleEmbedding",
        "RotaryEmbedding",
        "RougeL",
        "RougeN",
        "Sampler",
        "SentencePieceTokenizer",
        "SinePositionEncoding",
        "StartEndPacker",
        "TokenAndPositionEmbedding",
        "Tokenizer",
        "TopKSampler",
        "TopPSampler",
        "TransformerDecoder",
        "TransformerEncoder",
        "UnicodeCodepointTokenizer",
        "WordPieceTokenizer",
        "cleanUpTokenization",
        "computeBytePairVocabulary",
        "computeCausalMask",
        "computeSentencePieceVocabulary",
        "computeWordPieceVocabulary",
        "getSampler",
        "lcsLength",
        "levenshtein",
        "mergePaddingAndAttentionMask",
        "parseSentencePieceModel",
        "rougeLScore",
        "rougeNScore",
        "rougeTokenize",
        "segmentBudgets",
        "serializeSampler",
        "serializeSentencePieceModel",
        "tokenize13a",
        "tokenizerFromJson",
      ]
    `);
  });

  it('exports each family as the kind of object it is: layers, metrics, samplers', () => {
    const layerNames = [
      'WordPieceTokenizer',
      'BytePairTokenizer',
      'SentencePieceTokenizer',
      'ByteTokenizer',
      'UnicodeCodepointTokenizer',
      'StartEndPacker',
      'MultiSegmentPacker',
      'MaskedLMMaskGenerator',
      'RandomDeletion',
      'RandomSwap',
      'TransformerEncoder',
      'TransformerDecoder',
      'PositionEmbedding',
      'TokenAndPositionEmbedding',
      'SinePositionEncoding',
      'RotaryEmbedding',
      'ReversibleEmbedding',
      'CachedMultiHeadAttention',
      'AlibiBias',
      'FNetEncoder',
    ] as const;
    for (const name of layerNames) expect(surface[name]?.prototype, name).toBeInstanceOf(Layer);
    for (const name of ['Perplexity', 'Bleu', 'RougeN', 'RougeL', 'EditDistance'] as const) {
      expect(surface[name]?.prototype, name).toBeInstanceOf(metrics.Metric);
    }
    const samplerNames = [
      'GreedySampler',
      'TopKSampler',
      'TopPSampler',
      'RandomSampler',
      'BeamSampler',
      'ContrastiveSampler',
    ] as const;
    for (const name of samplerNames)
      expect(surface[name]?.prototype, name).toBeInstanceOf(nlp.Sampler);
  });

  it('documents every export in the package README', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    const undocumented = Object.keys(nlp).filter(
      (name) => !new RegExp(`\`${name}[\`(]`).test(readme),
    );
    expect(undocumented).toEqual([]);
  });
});
