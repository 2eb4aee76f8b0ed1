import type { Budget, Steps } from '../../budget.js';
import type { Settings } from '../../config.js';
import type { PreparedModel, Weights } from '../prepare/prepared-model.js';
import type { AnalyzedRequest } from '../prepare/request.js';
import { FastAligner } from './align-fast.js';
import { Candidates, type Pruning } from './candidates.js';
import { IntentScores } from './intent-scores.js';
import { Reranker, TopKMeans } from './rerank.js';
import { RequestProbabilities } from './request-probability.js';

/** How many candidates are scored between two looks at the budget (the clock and the abort signal). */
const CHECK_EVERY = 32;

/** An intent's score from its phrases, with the phrase that stands for it. */
export interface IntentScore {
  intent: number;
  score: number;
  phrase: number;
}

/**
 * The search of one analysed request: scores phrases in decreasing order of their bound until
 * none can change the nBest intents (each intent by its closest phrase; with intentTopK > 1 or
 * probabilityWeight, by the mean of its k closest times its factor: rerank.ts). Resumable:
 * run() pauses when the budget's slice is over, and stops when it runs out.
 */
export class IntentSearch {
  private readonly intents: IntentScores;
  private readonly candidates: Candidates;
  private readonly aligner: FastAligner;
  /** Scores of the phrases aligned so far, kept for re-ranking (intentTopK > 1). */
  private readonly scored = new Map<number, number>();
  /** intentTopK > 1 or probabilityWeight: intents by the mean of their k closest phrases (times their factor). */
  private readonly means?: TopKMeans;
  /** probabilityWeight: the request's factor for each intent. */
  readonly probability?: RequestProbabilities;
  private popped = 0;
  private finished = false;

  constructor(
    private readonly pm: PreparedModel,
    req: AnalyzedRequest,
    settings: Settings,
    weights: Weights,
    /** Alternatives whose score rounds to this or less are not wanted (the threshold, or -Infinity). */
    wantedAbove: number,
    private readonly budget: Budget,
  ) {
    this.intents = new IntentScores(settings.nBest, wantedAbove);
    const maxSequence = Math.max(1, settings.wordSequence1, settings.wordSequence2, settings.wordSequence3);
    this.candidates = new Candidates(pm, req, weights, maxSequence, settings.acronymMatch, this.pruning(settings), budget);
    this.aligner = new FastAligner(pm, req, this.candidates.bounds, settings, weights, this.candidates.forcedSet);
    if (settings.intentTopK > 1 || settings.probabilityWeight > 0) {
      const reranker = new Reranker(pm, this.candidates, this.aligner, settings.intentTopK, this.scored, budget);
      this.probability = settings.probabilityWeight > 0 ? new RequestProbabilities(pm, req, settings.probabilityWeight) : undefined;
      this.means = new TopKMeans(reranker, settings.nBest, pm.intentPhrases.length, (i) => this.intents.closest(i), this.probability, wantedAbove);
      this.means.scoreFavoured(this.candidates.most);
    }
  }

  /**
   * Scores phrases until none can change the result, looking at the budget every CHECK_EVERY
   * phrases: it pauses when the slice is over (and goes on from there when resumed), and
   * throws OutOfBudget when the deadline passes.
   */
  *run(): Steps<void> {
    if (this.finished) return;
    const { candidates, means, budget } = this;
    candidates.resume();
    yield* candidates.prepare();
    const canStop = means ? (bound: number) => means.canStop(bound) : (bound: number) => this.intents.canStop(bound);
    for (;;) {
      if (this.popped++ % CHECK_EVERY === 0 && budget.pause()) {
        yield;
        candidates.resume();
      }
      const bound = candidates.peekBound(canStop);
      means?.settle(bound);
      if (!(bound > 0) || canStop(bound)) {
        means?.settle(-Infinity); // every closest phrase is final: score the intents still above the floor
        this.finished = true;
        return;
      }
      const phrase = candidates.pop();
      if (phrase < 0) throw new Error('unreachable: a positive bound with no phrase left');
      const intent = this.pm.phraseIntent[phrase] as number;
      // Cannot raise its intent's closest phrase, the intent's mean is known already, or its factor keeps it out.
      if (!this.intents.worthScoring(intent, phrase, bound) || means?.isDone(intent) || means?.belowFloor(intent, bound)) continue;
      const score = this.aligner.score(phrase);
      if (!means) {
        this.intents.add(intent, phrase, score);
        continue;
      }
      this.scored.set(phrase, score);
      if (this.intents.add(intent, phrase, score)) means.improved(intent, score);
    }
  }

  /** The intents found, best first (scores not rounded yet): by their closest phrase, or by their means. */
  scores(): IntentScore[] {
    return this.means ? this.means.ranked() : this.intents.pool();
  }

  /**
   * What Candidates may leave out, from a floor known before the search (candidates.ts Pruning):
   * with factors, the favoured intent's, scored first (the constructor); with intents scored by
   * their closest phrase, the score of one phrase scored before the others are keyed (a floor
   * with nBest 1); with means alone, none.
   */
  private pruning(settings: Settings): Pruning | undefined {
    if (settings.probabilityWeight > 0) {
      return { stopBelow: () => this.means?.stopBelow() ?? 0, needless: (phrase, key) => this.needless(phrase, key) };
    }
    if (settings.intentTopK > 1) return undefined;
    return {
      stopBelow: () => this.intents.stopBelow(),
      needless: (_, key) => this.intents.canStop(key),
      prime: (phrase) => void this.intents.add(this.pm.phraseIntent[phrase] as number, phrase, this.aligner.score(phrase)),
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
}
