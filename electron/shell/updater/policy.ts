// What the cloud's app policy (GET /v1/app/policy, contract/cloud AppPolicy) means for updating this copy of the app.
import type { z } from 'zod';
import type { zAppPolicy } from '../../../contract/cloud';
import { compareVersions, parseVersion } from '../version';

export type AppPolicy = z.infer<typeof zAppPolicy>;
/** The user's choice (settings.updateChannel) and the policy's word: `stable` is electron-builder's `latest` feed. */
export type UpdateChannel = 'stable' | 'beta';

export function feedChannelName(channel: UpdateChannel): 'latest' | 'beta' {
  return channel === 'beta' ? 'beta' : 'latest';
}

export interface PolicyVerdict {
  /**
   * The kill switch is on: kense stopped this app (cloud answers APP_DISABLED). Nothing is downloaded or installed
   * while it is on — an emergency stop must also stop a release that may be the cause — and the message is shown.
   */
  halted: { message: string | null } | null;
  /** This version is below the policy's minimum: the cloud refuses to sync with it, so the update is offered to
   * everyone at once (the staged rollout does not hold it back) and the restart prompt says it is required. */
  required: boolean;
  minimumVersion: string | null;
}

/** No policy known (never reached the cloud): nothing halted, nothing required — the feed alone decides. */
export function judgePolicy(policy: AppPolicy | null, currentVersion: string): PolicyVerdict {
  if (!policy) return { halted: null, required: false, minimumVersion: null };
  const halted = policy.killSwitch.active ? { message: policy.killSwitch.message } : null;
  // A policy whose minimum is not a version cannot be judged: treat it as absent rather than block updates.
  const required = parseVersion(policy.minimumVersion) !== null && compareVersions(currentVersion, policy.minimumVersion) < 0;
  return { halted, required, minimumVersion: policy.minimumVersion };
}

/**
 * The feed to follow: the user's setting when known (Settings → updates), else the cloud's recommendation.
 * A copy running a pre-release keeps following beta until the user picks a channel, so it is never stranded
 * on a version newer than stable's (downgrades are refused: a database migrated by a newer version would be
 * refused by an older one, STORE_TOO_NEW).
 */
export function chooseChannel(userSetting: UpdateChannel | null, policy: AppPolicy | null, currentVersion: string): UpdateChannel {
  if (userSetting) return userSetting;
  if ((parseVersion(currentVersion)?.prerelease.length ?? 0) > 0) return 'beta';
  return policy?.updateChannel ?? 'stable';
}
