import type { Budget } from '../budget.js';

/**
 * Charges the time a scan spends matching to the budget's regex allowance, lap by lap, leaving
 * out the time it is paused (other work runs then). Each lap also checks the deadline.
 */
export class RegexTimer {
  private last: number;

  constructor(budget: Budget) {
    this.last = budget.clock();
  }

  /** Charges the time since the last lap; true when the slice is over (the scan should yield, then resume()). */
  lap(budget: Budget): boolean {
    const now = budget.check();
    budget.chargeRegex(now - this.last);
    this.last = now;
    return budget.due(now);
  }

  /** After a pause: the time paused is not the scan's. */
  resume(budget: Budget): void {
    this.last = budget.clock();
  }
}
