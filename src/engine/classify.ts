import { Budget, OutOfBudget, type Steps } from '../budget.js';
import type { Settings } from '../config.js';
import type { LimitInfo, StsEvent, UntimedEvent } from './event/events.js';
import { checkLength, limitEvent } from './event/limits.js';
import { resultEvent, type RankedIntent } from './event/result.js';
import type { PreparedModel, Weights } from './prepare/prepared-model.js';
import { analyzeRequest } from './prepare/request.js';
import { findPatternHits, type PatternHit } from './score/pattern-hits.js';
import { round3, roundScore, ROUNDING_MARGIN } from './score/rounding.js';
import type { RequestProbabilities } from './search/request-probability.js';
import { calibrated, uncalibrated } from './score/calibration.js';
import { IntentSearch, type IntentScore } from './search/search.js';

export interface RunContext {
  now: () => number;
  signal?: AbortSignal;
  explain: boolean;
  /** Only alternatives scoring above the threshold are wanted (ClassifyOptions.onlyAboveThreshold). */
  onlyAboveThreshold?: boolean;
  /** Milliseconds of regular-expression work the request may spend (entity patterns); default: no limit but the deadline. */
  regexMs?: number;
}

type Step = { done: true; event: StsEvent } | { done: false };

/**
 * One classification, resumable: `step(until)` works until it finishes, reaches the clock value
 * `until` (it then pauses so the async API can let other work run) or runs out of its budget (a
 * timeLimit event). Every stage (request analysis and its entity scans, patterns, the search)
 * gets the budget (budget.ts) and pauses and checks it as it goes. The clock is injected so
 * tests can be exact.
 */
export class Classification {
  private readonly start: number;
  /** The deadline and the regex allowance; every stage looks at it. */
  readonly budget: Budget;
  private readonly weights: Weights;
  /** The search leaves out alternatives whose raw score rounds to this or less (the threshold's raw score, or -Infinity). */
  private readonly wantedAbove: number;
  /** Made by the first step, unless the text is over a limit. */
  private work?: Steps<UntimedEvent>;

  constructor(
    private readonly pm: PreparedModel,
    private readonly text: string,
    /** The settings of this classification: the model's, with the call's overrides. */
    readonly settings: Settings,
    private readonly ctx: RunContext,
  ) {
    // A per-call probabilityWeight on a model compiled without it trains the regression once,
    // here, before the clock starts: that one-off is not this request's time.
    if (settings.probabilityWeight > 0) pm.probabilities();
    this.budget = new Budget({ now: ctx.now, timeLimit: settings.timeLimit, signal: ctx.signal, regexMs: ctx.regexMs });
    this.start = this.budget.start;
    this.weights = pm.weights(settings);
    // The search compares raw scores; the threshold is a calibrated one.
    this.wantedAbove = ctx.onlyAboveThreshold ? uncalibrated(pm.model.calibration, settings.threshold) : -Infinity;
  }

  /** The clock value past which this classification answers timeLimit (Infinity: none). */
  get deadline(): number {
    return this.budget.deadline;
  }

  step(until = Infinity): Step {
    this.budget.beginSlice(until);
    try {
      this.budget.checkSignal();
      if (this.work === undefined) {
        const limit = checkLength(this.text, this.settings);
        if (limit) return this.finish(this.limitEvent('lengthLimit', limit));
        this.work = this.run();
      }
      this.budget.check(); // a job the scheduler steps after its deadline answers at once
      const next = this.work.next();
      return next.done ? this.finish(next.value) : { done: false };
    } catch (e) {
      if (e instanceof OutOfBudget) return this.finish(this.outOfBudgetEvent(e));
      throw e;
    }
  }

  /** The stages of a classification, each within the budget: analysis, patterns, the search, the event. */
  private *run(): Steps<UntimedEvent> {
    const { pm, settings, weights, budget } = this;
    const req = yield* analyzeRequest(pm, this.text, settings, weights, budget);
    const patternHits = yield* findPatternHits(pm, req, budget);
    const search = new IntentSearch(pm, req, settings, weights, this.wantedAbove, budget);
    yield* search.run();
    const ranked = this.ranked(this.withFloor(search.scores(), search.probability), patternHits);
    return resultEvent({ pm, settings, weights, req, ranked, patternHits, probability: search.probability, explain: this.ctx.explain });
  }

  /** A timeLimit event: the deadline passed (`time`), or the regex allowance was spent (`regex`). */
  private outOfBudgetEvent(e: OutOfBudget): UntimedEvent {
    return this.limitEvent('timeLimit', { kind: e.kind, max: e.max, actual: e.actual });
  }

  /**
   * With probabilityFloor λ: every intent scores at least λ × its probability above chance,
   * (P − 1/n) / (1 − 1/n) for n intents, so an intent whose phrases share little or nothing with
   * the request can still win on what the regression reads (letters, meaning: slang, greetings),
   * while text the regression knows nothing of (P at chance, as for gibberish in a bot of two
   * intents) gains nothing. The ranking stays exact whatever nBest: an intent the search left out
   * scores at most the nBest-th it kept, so if it makes the list it is on its floor. Such an
   * intent is given its first phrase as the closest (its alignment is then all unmatched words,
   * which the explanation shows).
   */
  private withFloor(scores: readonly IntentScore[], probability: RequestProbabilities | undefined): readonly (IntentScore & { byProbability?: boolean })[] {
    const lambda = this.settings.probabilityFloor;
    const intents = this.pm.model.intents.length;
    if (!(lambda > 0) || probability === undefined || intents < 2) return scores;
    const p = probability.probabilities();
    const chance = 1 / intents;
    // By intent in a plain array, not a Map: most of the intents are looked up only to be passed
    // over. The order of the list returned does not matter: ranked() sorts it.
    const byIntent: (IntentScore & { byProbability?: boolean })[] = [...scores];
    const at = new Array<number>(intents).fill(-1);
    scores.forEach((s, k) => (at[s.intent] = k));
    for (let intent = 0; intent < intents; intent++) {
      const floor = (lambda * ((p[intent] as number) - chance)) / (1 - chance);
      const k = at[intent] as number;
      const current = k >= 0 ? byIntent[k] : undefined;
      if (current ? floor <= current.score : floor < ROUNDING_MARGIN) continue;
      const phrase = current?.phrase ?? this.pm.intentPhrases[intent]?.[0];
      if (phrase === undefined) continue; // an intent of patterns alone has no phrase to show
      const raised = { intent, score: floor, phrase, byProbability: true };
      if (k >= 0) byIntent[k] = raised;
      else byIntent.push(raised);
    }
    return byIntent;
  }

  /**
   * Intents by score, best first, at most nBest: each intent's phrase score (from the search) or
   * patternMatch if one of its patterns matched, whichever is higher (JAICP: "the score is
   * calculated independently for phrases and patterns, and then whichever is the highest is selected").
   */
  private ranked(scores: readonly (IntentScore & { byProbability?: boolean })[], patternHits: ReadonlyMap<number, PatternHit>): RankedIntent[] {
    const byIntent = new Map<number, RankedIntent>();
    const calibration = this.pm.model.calibration;
    for (const r of scores) byIntent.set(r.intent, { ...r, score: roundScore(calibrated(calibration, r.score)) });
    for (const [intent, hit] of patternHits) {
      const score = roundScore(this.settings.patternMatch);
      const current = byIntent.get(intent);
      if (!current || score > current.score) byIntent.set(intent, { intent, score, phrase: current?.phrase ?? -1, pattern: hit.source });
    }
    return [...byIntent.values()]
      .filter((r) => r.score > 0 && (!this.ctx.onlyAboveThreshold || r.score > this.settings.threshold))
      .sort((a, b) => b.score - a.score || a.intent - b.intent)
      .slice(0, this.settings.nBest);
  }

  private limitEvent(event: 'lengthLimit' | 'timeLimit', limit: LimitInfo): UntimedEvent {
    return limitEvent(event, limit, this.pm.model.id);
  }

  private finish(event: UntimedEvent): { done: true; event: StsEvent } {
    // The event is this classification's own: timed in place, not copied (a copy of its
    // alternatives and explanation costs a few percent of a default call).
    return { done: true, event: Object.assign(event, { elapsedMs: round3(this.ctx.now() - this.start) }) };
  }
}
