// The one list of error codes that may reach a user, with ru/kk/en texts. Each area owns a file.
import { COMMON_ERRORS } from './common';
import { PKI_ERRORS } from './pki';
import { NCALAYER_ERRORS } from './ncalayer';
import { CLOUD_ERRORS } from './cloud';
import { CORE_ERRORS } from './core';
import { DESKTOP_ERRORS } from './desktop';
import type { ErrorSpec, Locale, LocalizedText } from './types';

export * from './types';

export const ERRORS = {
  ...COMMON_ERRORS,
  ...PKI_ERRORS,
  ...NCALAYER_ERRORS,
  ...CLOUD_ERRORS,
  ...CORE_ERRORS,
  ...DESKTOP_ERRORS,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/** The plain object that crosses IPC and HTTP boundaries. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  action: string;
  details?: Record<string, unknown>;
}

/**
 * A typed, user-presentable failure. `details` carries machine-readable facts (never secrets);
 * the message is derived from the code, so the same error reads well in every locale.
 */
export class KenseError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(ERRORS[code].message.en, options);
    this.name = 'KenseError';
    this.code = code;
    this.details = details;
  }

  localized(locale: Locale = 'ru'): { message: string; action: string } {
    return { message: ERRORS[this.code].message[locale], action: ERRORS[this.code].action[locale] };
  }

  toPayload(locale: Locale = 'ru'): ErrorPayload {
    return { code: this.code, ...this.localized(locale), ...(this.details ? { details: this.details } : {}) };
  }
}

export function isKenseError(e: unknown, code?: ErrorCode): e is KenseError {
  return e instanceof KenseError && (code === undefined || e.code === code);
}

export function errorText(code: ErrorCode, locale: Locale = 'ru'): LocalizedText[keyof LocalizedText] {
  return `${ERRORS[code].message[locale]} ${ERRORS[code].action[locale]}`;
}
