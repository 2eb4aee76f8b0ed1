import { Budget, runToEnd, type Steps } from '../budget.js';
import type { CompiledRegex } from './regex.js';
import { startFilter, type StartFilter } from './regex-starts.js';
import { RegexTimer } from './regex-timer.js';

/** A match of a pattern: UTF-16 offsets into the searched text, end exclusive. */
export interface PatternMatch {
  start: number;
  end: number;
}

/**
 * A regex ready to scan texts: non-empty matches, left to right, at most `limit` of them; empty
 * matches (`\d*` before a letter) are not entities and are skipped. The matches are those of
 * the usual loop (find, and after an empty match find again one character on), but a pattern
 * that can match the empty string runs its matcher only where a non-empty match may start
 * (regex-starts.ts), so an empty match costs no scan of the rest of the text.
 *
 * Every run of the matcher is charged to the budget's regex allowance and checks its deadline;
 * the scan pauses between runs when the slice is over.
 */
export class RegexScanner {
  private readonly filter?: StartFilter;

  constructor(readonly re: CompiledRegex) {
    const filter = startFilter(re);
    if (filter?.matchesEmpty) this.filter = filter;
  }

  *scan(text: string, limit: number, budget: Budget): Steps<PatternMatch[]> {
    const out: PatternMatch[] = [];
    const m = this.re.matcher(text);
    const timer = new RegexTimer(budget);
    const run = function* (found: () => boolean): Steps<boolean> {
      const hit = found();
      if (timer.lap(budget)) {
        yield;
        timer.resume(budget);
      }
      return hit;
    };
    if (!this.filter) {
      // No empty matches (or no filter): every run finds a match to keep, or ends the scan.
      while (out.length < limit && (yield* run(() => m.find()))) {
        const start = m.start();
        const end = m.end();
        if (end > start) out.push({ start, end });
      }
      return out;
    }
    const starts = yield* this.filter.starts(text, budget, timer);
    let from = 0;
    for (const at of starts) {
      if (at < from) continue;
      // Unanchored from `at`: the leftmost match, which starts at `at` unless the filter kept a position with none.
      if (!(yield* run(() => m.find(at)))) break;
      const start = m.start();
      const end = m.end();
      if (end > start) {
        out.push({ start, end });
        if (out.length >= limit) break;
        from = end;
      } else from = start + 1;
    }
    return out;
  }
}

/** The matches of one scan without a deadline (compile-time use, tests). */
export function findPatternMatches(scanner: RegexScanner, text: string, limit: number): PatternMatch[] {
  return runToEnd(scanner.scan(text, limit, Budget.unlimited()));
}
