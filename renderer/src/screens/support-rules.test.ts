import { describe, expect, it } from 'vitest';
import { SUPPORT_LIMITS } from '../../../contract/cloud';
import { allowed, formProblems, fromDataUrl, overdue, screenshotProblem } from './support-rules';

const sla = (o: Partial<{ responseDueAt: string; resolveDueAt: string; firstResponseAt: string | null; resolvedAt: string | null }> = {}) => ({
  clock: 'business_hours' as const, responseDueAt: '2026-12-04T13:00:00+05:00', resolveDueAt: '2026-12-08T13:00:00+05:00', firstResponseAt: null, resolvedAt: null, ...o,
});

describe('support rules', () => {
  it('a screenshot is a PNG or JPEG of at most 2 MiB', () => {
    expect(screenshotProblem({ type: 'image/png', size: SUPPORT_LIMITS.screenshotBytes })).toBeNull();
    expect(screenshotProblem({ type: 'image/jpeg', size: 10 })).toBeNull();
    expect(screenshotProblem({ type: 'image/png', size: SUPPORT_LIMITS.screenshotBytes + 1 })).toBe('size');
    expect(screenshotProblem({ type: 'image/gif', size: 10 })).toBe('type');
    expect(screenshotProblem({ type: '', size: 10 })).toBe('type');
  });

  it('subject and description need the cloud’s minimum (trimmed)', () => {
    expect(formProblems({ subject: '  ab ', description: 'short' })).toEqual({ subject: 'short', description: 'short' });
    expect(formProblems({ subject: 'Акт', description: 'Не открывается NCALayer' })).toEqual({});
  });

  it('an SLA time is overdue only while its promise is unmet and the request is not done', () => {
    const now = new Date('2026-12-05T10:00:00+05:00');
    expect(overdue({ status: 'open', sla: sla() }, now)).toEqual({ response: true, resolve: false });
    expect(overdue({ status: 'in_progress', sla: sla({ firstResponseAt: '2026-12-04T12:00:00+05:00' }) }, now)).toEqual({ response: false, resolve: false });
    expect(overdue({ status: 'open', sla: sla({ resolveDueAt: '2026-12-05T09:00:00+05:00' }) }, now)).toEqual({ response: true, resolve: true });
    expect(overdue({ status: 'resolved', sla: sla({ resolveDueAt: '2026-12-05T09:00:00+05:00' }) }, now)).toEqual({ response: false, resolve: false });
    expect(overdue({ status: 'open', sla: sla() }, new Date('2026-12-04T12:59:00+05:00'))).toEqual({ response: false, resolve: false });
  });

  it('reply while open, reopen once resolved or closed, rate when resolved (or closed unrated)', () => {
    expect(allowed({ status: 'waiting_for_customer', rating: null })).toEqual({ reply: true, reopen: false, rate: false });
    expect(allowed({ status: 'resolved', rating: null })).toEqual({ reply: false, reopen: true, rate: true });
    expect(allowed({ status: 'closed', rating: { score: 5, comment: null, at: '2026-12-04T12:00:00+05:00' } })).toEqual({ reply: false, reopen: true, rate: false });
  });

  it('reads a data URL of a PNG or JPEG only', () => {
    expect(fromDataUrl('data:image/png;base64,iVBORw0KGgo=')).toEqual({ mediaType: 'image/png', base64: 'iVBORw0KGgo=' });
    expect(fromDataUrl('data:image/gif;base64,R0lGOD')).toBeNull();
  });
});
