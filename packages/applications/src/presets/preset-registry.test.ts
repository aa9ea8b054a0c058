import { describe, expect, it } from 'vitest';
import { getPreset, listPresets, registerPreset, unregisterPreset } from './preset-registry.js';
import { validatePresetSpec } from './preset-spec.js';

const hash = 'AB'.repeat(32);
const spec = {
  name: 'mlp_iris',
  description: 'test',
  origin: 'https://example.org/presets/mlp_iris',
  files: [{ path: 'config.json', sha256: hash }],
};

describe('preset registry', () => {
  it('registers, normalises, lists with a filter, and unregisters', () => {
    registerPreset(spec);
    registerPreset({ ...spec, name: 'cnn_digits' });
    expect(getPreset('mlp_iris').files[0]?.sha256).toBe(hash.toLowerCase());
    expect(getPreset('mlp_iris').origin).toBe('https://example.org/presets/mlp_iris/');
    expect(listPresets().map((p) => p.name)).toEqual(['cnn_digits', 'mlp_iris']);
    expect(listPresets('iris').map((p) => p.name)).toEqual(['mlp_iris']);
    expect(() => registerPreset(spec)).toThrow(/already registered. Pass \{ override: true \}/);
    registerPreset({ ...spec, description: 'replaced' }, { override: true });
    expect(getPreset('mlp_iris').description).toBe('replaced');
    expect(unregisterPreset('mlp_iris')).toBe(true);
    expect(unregisterPreset('cnn_digits')).toBe(true);
    expect(listPresets()).toEqual([]);
  });

  it('names the argument and the received value for each malformed field', () => {
    expect(() => validatePresetSpec({ ...spec, name: 'Bad Name' })).toThrow(
      /name must match .* Received: 'Bad Name'/,
    );
    expect(() => validatePresetSpec({ ...spec, origin: 'ftp://x/y' })).toThrow(
      /must use http or https. Received: 'ftp:'/,
    );
    expect(() => validatePresetSpec({ ...spec, origin: 'not a url' })).toThrow(
      /must be an http\(s\) URL/,
    );
    expect(() => validatePresetSpec({ ...spec, files: [] })).toThrow(/at least one file/);
    expect(() => validatePresetSpec({ ...spec, files: [{ path: 'a', sha256: 'abc' }] })).toThrow(
      /sha256 of 'a' .* 64 hex digits. Received: 'abc'/,
    );
    for (const path of ['/etc/passwd', '../up', 'a/../b', 'C:/x', 'a\\b', 'a//b', './a']) {
      expect(() => validatePresetSpec({ ...spec, files: [{ path, sha256: hash }] })).toThrow(
        /must be relative/,
      );
    }
    expect(() =>
      validatePresetSpec({
        ...spec,
        files: [
          { path: 'a', sha256: hash },
          { path: 'a', sha256: hash },
        ],
      }),
    ).toThrow(/lists 'a' twice/);
  });
});
