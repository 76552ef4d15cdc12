import { describe, expect, it } from 'vitest';
import { chooseChannel, feedChannelName, judgePolicy, type AppPolicy } from './policy';

const policy = (p: Partial<AppPolicy> = {}): AppPolicy => ({
  minimumVersion: '0.1.0', latestVersion: '0.2.0', updateChannel: 'stable', killSwitch: { active: false, message: null }, ...p,
});

describe('judgePolicy', () => {
  it.each([
    ['no policy known', null, '0.1.0', { halted: null, required: false, minimumVersion: null }],
    ['at the minimum', policy(), '0.1.0', { halted: null, required: false, minimumVersion: '0.1.0' }],
    ['below the minimum', policy({ minimumVersion: '0.3.0' }), '0.2.9', { halted: null, required: true, minimumVersion: '0.3.0' }],
    ['a pre-release of the minimum is below it', policy({ minimumVersion: '0.3.0' }), '0.3.0-beta.4', { halted: null, required: true, minimumVersion: '0.3.0' }],
    ['kill switch', policy({ killSwitch: { active: true, message: 'stop' } }), '0.1.0', { halted: { message: 'stop' }, required: false, minimumVersion: '0.1.0' }],
    ['a minimum that is not a version is ignored', policy({ minimumVersion: 'soon' }), '0.1.0', { halted: null, required: false, minimumVersion: 'soon' }],
  ] as const)('%s', (_n, p, v, verdict) => expect(judgePolicy(p, v)).toEqual(verdict));
});

describe('chooseChannel', () => {
  it.each([
    ['the user’s choice wins', 'stable', policy({ updateChannel: 'beta' }), '0.1.0', 'stable'],
    ['the user’s beta', 'beta', policy(), '0.1.0', 'beta'],
    ['no choice known: the cloud’s', null, policy({ updateChannel: 'beta' }), '0.1.0', 'beta'],
    ['no choice, no policy: stable', null, null, '0.1.0', 'stable'],
    ['no choice on a pre-release: stays on beta', null, policy(), '0.2.0-beta.1', 'beta'],
  ] as const)('%s', (_n, user, p, v, ch) => expect(chooseChannel(user, p, v)).toBe(ch));

  it('maps stable to electron-builder’s latest feed', () => {
    expect(feedChannelName('stable')).toBe('latest');
    expect(feedChannelName('beta')).toBe('beta');
  });
});
