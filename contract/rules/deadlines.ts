// When silence means acceptance: service acts after 5 working days, reconciliation acts after 5 calendar days.
import { addCalendarDays, addWorkingDays, type IsoDate } from '../kz-calendar';

export const SERVICE_ACT_WORKING_DAYS = 5;
export const RECONCILIATION_CALENDAR_DAYS = 5;

export const serviceActDeadline = (issuedOn: IsoDate): IsoDate => addWorkingDays(issuedOn, SERVICE_ACT_WORKING_DAYS);
export const reconciliationDeadline = (sentOn: IsoDate): IsoDate => addCalendarDays(sentOn, RECONCILIATION_CALENDAR_DAYS);

/** An unanswered document is deemed accepted from the day after its deadline. */
export function isDeemedAccepted(awaitingAnswer: boolean, deadline: IsoDate, today: IsoDate): boolean {
  return awaitingAnswer && today > deadline;
}
