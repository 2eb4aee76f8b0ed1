import type { Settings } from '../config.js';
import { StsError } from '../errors.js';
import type { LimitInfo, StsEvent, UntimedEvent } from './event/events.js';
import { checkLength } from './event/limits.js';
import { resultEvent, type RankedIntent } from './event/result.js';
import type { PreparedModel, Weights } from './prepare/prepared-model.js';
import { analyzeRequest, type AnalyzedRequest } from './prepare/request.js';
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
}

type Step = { done: true; event: StsEvent } | { done: false };

/** A request analysed, its patterns matched, and its search under way. */
interface Started {
  req: AnalyzedRequest;
  patternHits: Map<number, PatternHit>;
  search: IntentSearch;
}

/**
 * One classification, resumable: `step(until)` scores candidates until it finishes, reaches the
 * clock value `until` (it then yields so the async API can let other work run) or passes the
 * deadline (a timeLimit event). The clock is injected so tests can be exact.
 */
export class Classification {
  private readonly start: number;
  private readonly deadline: number;
  private readonly weights: Weights;
  /** The search leaves out alternatives whose raw score rounds to this or less (the threshold's raw score, or -Infinity). */
  private readonly wantedAbove: number;
  /** Set by the first step, unless the text is over a limit or the deadline passes first. */
  private started?: Started;

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
    this.start = ctx.now();
    this.deadline = settings.timeLimit > 0 ? this.start + settings.timeLimit : Infinity;
    this.weights = pm.weights(settings);
    // The search compares raw scores; the threshold is a calibrated one.
    this.wantedAbove = ctx.onlyAboveThreshold ? uncalibrated(pm.model.calibration, settings.threshold) : -Infinity;
  }

  step(until = Infinity): Step {
    if (this.ctx.signal?.aborted) throw new StsError('aborted', 'classification aborted by the caller');
    let started = this.started;
    if (started === undefined) {
      const limit = checkLength(this.text, this.settings);
      if (limit) return this.finish(this.limitEvent('lengthLimit', limit));
      const begun = this.begin();
      if (begun === 'expired') return this.finish(this.timeLimitEvent());
      started = this.started = begun;
    }
    const paused = started.search.run((pause) => this.checkClock(until, pause));
    if (paused) return paused;
    const { req, patternHits, search } = started;
    const ranked = this.ranked(this.withFloor(search.scores(), search.probability), patternHits);
    const { pm, settings, weights } = this;
    return this.finish(resultEvent({ pm, settings, weights, req, ranked, patternHits, probability: search.probability, explain: this.ctx.explain }));
  }

  /** Analyses the request, matches its patterns (unless the deadline passes first) and sets up its search. */
  private begin(): Started | 'expired' {
    const req = analyzeRequest(this.pm, this.text, this.settings, this.weights);
    const patternHits = findPatternHits(this.pm, req, () => this.ctx.now() > this.deadline);
    if (patternHits === 'expired') return 'expired';
    return { req, patternHits, search: new IntentSearch(this.pm, req, this.settings, this.weights, this.wantedAbove) };
  }

  /** The deadline passed (a timeLimit event) or the slice is over (`pause`: may yield now). */
  private checkClock(until: number, pause: boolean): Step | undefined {
    if (this.ctx.signal?.aborted) throw new StsError('aborted', 'classification aborted by the caller');
    const now = this.ctx.now();
    if (now > this.deadline) return this.finish(this.timeLimitEvent(now));
    if (now > until && pause) return { done: false };
    return undefined;
  }

  /** The deadline passed while the async API was waiting (p-timeout fired). */
  timedOut(): StsEvent {
    return this.finish(this.timeLimitEvent()).event;
  }

  private timeLimitEvent(now = this.ctx.now()): UntimedEvent {
    return this.limitEvent('timeLimit', { kind: 'time', max: this.settings.timeLimit, actual: now - this.start });
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
    const p = new Float64Array(intents);
    probability.probabilities(p);
    const chance = 1 / intents;
    const byIntent = new Map<number, IntentScore & { byProbability?: boolean }>(scores.map((s) => [s.intent, s]));
    for (let intent = 0; intent < intents; intent++) {
      const floor = (lambda * ((p[intent] as number) - chance)) / (1 - chance);
      const current = byIntent.get(intent);
      if (current ? floor <= current.score : floor < ROUNDING_MARGIN) continue;
      const phrase = current?.phrase ?? this.pm.intentPhrases[intent]?.[0];
      if (phrase === undefined) continue; // an intent of patterns alone has no phrase to show
      byIntent.set(intent, { intent, score: floor, phrase, byProbability: true });
    }
    return [...byIntent.values()];
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
    return { event, intent: null, score: null, phrase: null, alternatives: [], limit, modelId: this.pm.model.id };
  }

  private finish(event: UntimedEvent): { done: true; event: StsEvent } {
    return { done: true, event: { ...event, elapsedMs: round3(this.ctx.now() - this.start) } };
  }
}
