import type { Settings } from '../config.js';
import { StsError } from '../errors.js';
import { FastAligner } from './search/align-fast.js';
import { Candidates, type Pruning } from './search/candidates.js';
import { IntentScores } from './search/intent-scores.js';
import { Reranker, TopKMeans } from './search/rerank.js';
import { findPatternHits, type PatternHit } from './score/pattern-hits.js';
import { fillSlots, foundEntities } from './event/slots.js';
import type { Alternative, StsEvent, LimitInfo } from './event/events.js';
import { explainPhrase, explainProbability } from './event/explain.js';
import { round3, roundScore } from './score/rounding.js';
import { RequestProbabilities } from './search/request-probability.js';
import { checkLength } from './event/limits.js';
import type { PreparedModel, Weights } from './prepare/prepared-model.js';
import { analyzeRequest, type AnalyzedRequest } from './prepare/request.js';

export interface RunContext {
  now: () => number;
  signal?: AbortSignal;
  explain: boolean;
  /** Only alternatives scoring above the threshold are wanted (ClassifyOptions.onlyAboveThreshold). */
  onlyAboveThreshold?: boolean;
}

/** How many candidates are scored between two looks at the clock and the abort signal. */
const CHECK_EVERY = 32;

type Step = { done: true; event: StsEvent } | { done: false };

/**
 * One classification, resumable: `step(until)` scores candidates until it finishes, reaches the
 * clock value `until` (it then yields so the async API can let other work run) or passes the
 * deadline (a timeLimit event). The clock is injected so tests can be exact.
 */
export class Classification {
  private readonly start: number;
  private readonly deadline: number;
  private req?: AnalyzedRequest;
  private candidates?: Candidates;
  private popped = 0;
  private readonly intents: IntentScores;
  /** Scores of the phrases aligned so far, kept for re-ranking (intentTopK > 1). */
  private readonly scored = new Map<number, number>();
  private searched = false;
  /** intentTopK > 1 or probabilityWeight: intents by the mean of their k closest phrases (times their factor). */
  private means?: TopKMeans;
  private probability?: RequestProbabilities;
  private aligner?: FastAligner;
  private patternHits?: Map<number, PatternHit>;
  private readonly weights: Weights;
  /** Alternatives whose score rounds to this or less are left out (the threshold, or -Infinity). */
  private readonly wantedAbove: number;

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
    this.wantedAbove = ctx.onlyAboveThreshold ? settings.threshold : -Infinity;
    this.intents = new IntentScores(settings.nBest, this.wantedAbove);
  }

  step(until = Infinity): Step {
    if (this.ctx.signal?.aborted) throw new StsError('aborted', 'classification aborted by the caller');
    if (this.req === undefined) {
      const limit = checkLength(this.text, this.settings);
      if (limit) return this.finish(this.limitEvent('lengthLimit', limit));
      this.req = analyzeRequest(this.pm, this.text, this.settings, this.weights);
      const hits = findPatternHits(this.pm, this.req, () => this.ctx.now() > this.deadline);
      if (hits === 'expired') return this.finish(this.timeLimitEvent());
      this.patternHits = hits;
      const maxSequence = Math.max(1, this.settings.wordSequence1, this.settings.wordSequence2, this.settings.wordSequence3);
      this.candidates = new Candidates(this.pm, this.req, this.weights, maxSequence, this.settings.acronymMatch, this.pruning());
      this.aligner = new FastAligner(this.pm, this.req, this.candidates.bounds, this.settings, this.weights, this.candidates.forcedSet);
      if (this.settings.intentTopK > 1 || this.settings.probabilityWeight > 0) {
        const reranker = new Reranker(this.pm, this.candidates, this.aligner, this.settings.intentTopK, this.scored);
        this.probability = this.settings.probabilityWeight > 0 ? new RequestProbabilities(this.pm, this.req, this.settings.probabilityWeight) : undefined;
        this.means = new TopKMeans(reranker, this.settings.nBest, this.pm.intentPhrases.length, (i) => this.intents.closest(i), this.probability, this.wantedAbove);
        this.means.scoreFavoured();
      }
    } else this.candidates!.resume();
    if (!this.searched) {
      const paused = this.search(until);
      if (paused) return paused;
      this.searched = true;
    }
    return this.finish(this.resultEvent());
  }

  /** Scores phrases in bound order until none can change the result; a step result if it must pause or give up. */
  private search(until: number): Step | undefined {
    const candidates = this.candidates!;
    const means = this.means;
    const canStop = means ? (bound: number) => means.canStop(bound) : (bound: number) => this.intents.canStop(bound);
    for (;;) {
      if (this.popped++ % CHECK_EVERY === 0) {
        const pause = this.checkClock(until, this.popped > 1);
        if (pause) return pause;
      }
      const bound = candidates.peekBound(canStop);
      means?.settle(bound);
      if (!(bound > 0) || canStop(bound)) {
        means?.settle(-Infinity); // every closest phrase is final: score the intents still above the floor
        return undefined;
      }
      const phrase = candidates.pop();
      if (phrase < 0) throw new Error('unreachable: a positive bound with no phrase left');
      const intent = this.pm.phraseIntent[phrase] as number;
      // Cannot raise its intent's closest phrase, the intent's mean is known already, or its factor keeps it out.
      if (!this.intents.worthScoring(intent, phrase, bound) || means?.isDone(intent) || means?.belowFloor(intent, bound)) continue;
      const score = this.aligner!.score(phrase);
      if (!means) {
        this.intents.add(intent, phrase, score);
        continue;
      }
      this.scored.set(phrase, score);
      if (this.intents.add(intent, phrase, score)) means.improved(intent, score);
    }
  }

  /**
   * What Candidates may leave out, from a floor known before the search (candidates.ts Pruning):
   * with factors, the favoured intent's, scored first (step()); with intents scored by their
   * closest phrase, the score of one phrase scored before the others are keyed (a floor with
   * nBest 1); with means alone, none.
   */
  private pruning(): Pruning | undefined {
    if (this.settings.probabilityWeight > 0) {
      return { stopBelow: () => this.means?.stopBelow() ?? 0, needless: (phrase, key) => this.needless(phrase, key) };
    }
    if (this.settings.intentTopK > 1) return undefined;
    return {
      stopBelow: () => this.intents.stopBelow(),
      needless: (_, key) => this.intents.canStop(key),
      prime: (phrase) => void this.intents.add(this.pm.phraseIntent[phrase] as number, phrase, this.aligner!.score(phrase)),
    };
  }

  /**
   * The search would skip this phrase whatever its exact bound (at most `key`): it would stop
   * first, the phrase's intent is scored already, or its factor keeps it under the floor (each
   * only grows more certain as the search goes on).
   */
  private needless(phrase: number, key: number): boolean {
    const means = this.means;
    if (means === undefined) return false;
    if (means.canStop(key)) return true; // the cheap test first: most phrases fail it
    const intent = this.pm.phraseIntent[phrase] as number;
    return means.isDone(intent) || means.belowFloor(intent, key);
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

  private timeLimitEvent(now = this.ctx.now()): Omit<StsEvent, 'elapsedMs'> {
    return this.limitEvent('timeLimit', { kind: 'time', max: this.settings.timeLimit, actual: now - this.start });
  }

  private resultEvent(): Omit<StsEvent, 'elapsedMs'> {
    const { model } = this.pm;
    const ranked = this.ranked();
    const alternatives: Alternative[] = ranked.map((r) => ({
      intent: model.intents[r.intent]!.path,
      score: r.score,
      phrase: r.pattern ?? model.phrases[r.phrase]!.text,
      ...(r.pattern !== undefined && { pattern: r.pattern }),
    }));
    const top = ranked[0];
    const matched = top !== undefined && top.score > this.settings.threshold;
    const intent = top ? model.intents[top.intent] : undefined;
    const event: Omit<StsEvent, 'elapsedMs'> = {
      event: matched ? 'match' : 'noMatch',
      intent: matched ? intent!.path : null,
      score: top ? top.score : 0,
      phrase: top ? (alternatives[0]!.phrase ?? null) : null,
      alternatives,
      modelId: model.id,
    };
    if (top) event.rule = top.pattern !== undefined ? 'pattern' : 'phrase';
    if (top?.pattern !== undefined) event.pattern = top.pattern;
    if (matched && intent!.answer !== undefined) event.answer = intent!.answer;
    if (matched && intent!.slots) {
      const { slots, missing, prompts } = fillSlots(intent!.slots, this.req!.entities, this.patternHits?.get(top.intent)?.captures);
      event.slots = slots;
      if (missing.length > 0) event.missingSlots = missing;
      if (Object.keys(prompts).length > 0) event.missingSlotPrompts = prompts;
    }
    const found = this.req!.entities;
    if (found.length > 0) event.entities = foundEntities(found);
    if (this.ctx.explain && top && top.pattern === undefined) {
      event.explanation = explainPhrase(this.pm, this.req!, top.phrase, this.settings, this.weights);
      if (this.probability) event.explanation.probability = explainProbability(this.pm, this.probability, top.intent);
    }
    return event;
  }

  /**
   * Intents by score, best first, at most nBest: each intent's phrase score (from the search) or
   * patternMatch if one of its patterns matched, whichever is higher (JAICP: "the score is
   * calculated independently for phrases and patterns, and then whichever is the highest is selected").
   */
  private ranked(): { intent: number; score: number; phrase: number; pattern?: string }[] {
    const byIntent = new Map<number, { intent: number; score: number; phrase: number; pattern?: string }>();
    const scores = this.means ? this.means.ranked() : this.intents.pool();
    for (const r of scores) byIntent.set(r.intent, { ...r, score: roundScore(r.score) });
    for (const [intent, hit] of this.patternHits ?? []) {
      const score = roundScore(this.settings.patternMatch);
      const current = byIntent.get(intent);
      if (!current || score > current.score) byIntent.set(intent, { intent, score, phrase: current?.phrase ?? -1, pattern: hit.source });
    }
    return [...byIntent.values()]
      .filter((r) => r.score > 0 && r.score > this.wantedAbove)
      .sort((a, b) => b.score - a.score || a.intent - b.intent)
      .slice(0, this.settings.nBest);
  }

  private limitEvent(event: 'lengthLimit' | 'timeLimit', limit: LimitInfo): Omit<StsEvent, 'elapsedMs'> {
    return { event, intent: null, score: null, phrase: null, alternatives: [], limit, modelId: this.pm.model.id };
  }

  private finish(event: Omit<StsEvent, 'elapsedMs'>): { done: true; event: StsEvent } {
    return { done: true, event: { ...event, elapsedMs: round3(this.ctx.now() - this.start) } };
  }
}
