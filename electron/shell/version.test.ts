import { describe, expect, it } from 'vitest';
import { compareVersions, isPrerelease, parseVersion } from './version';

describe('compareVersions', () => {
  // The ordering example of semver 2.0.0 §11, plus build metadata (ignored) and leading v.
  const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.1.0', '2.0.0', '10.0.0'];
  it('orders the specification example', () => {
    for (let i = 0; i < ordered.length; i++)
      for (let j = 0; j < ordered.length; j++) expect(Math.sign(compareVersions(ordered[i], ordered[j])), `${ordered[i]} vs ${ordered[j]}`).toBe(Math.sign(i - j));
  });
  it.each([
    ['1.2.3+build.5', '1.2.3', 0],
    ['v1.2.3', '1.2.3', 0],
    ['0.9.9', '0.10.0', -1],
  ])('%s vs %s', (a, b, s) => expect(Math.sign(compareVersions(a, b))).toBe(s));
  it('refuses what is not a version', () => {
    expect(parseVersion('1.2')).toBeNull();
    expect(parseVersion('01.2.3')).toBeNull();
    expect(() => compareVersions('latest', '1.0.0')).toThrow(/not a semantic version/);
  });
  it('knows a pre-release', () => {
    expect(isPrerelease('1.3.0-beta.2')).toBe(true);
    expect(isPrerelease('1.3.0')).toBe(false);
  });
});
