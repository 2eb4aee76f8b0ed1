/**
 * Bounds on the work per request. Requests are already capped by the classifier's
 * lengthLimit (400 characters by default), and re2js runs in time linear in the text: one
 * RE2Set pass over the text picks the pattern records that match somewhere (regex.ts), and
 * only those run a matcher, each stopping after MAX_MATCHES_PER_PATTERN matches. Synonyms
 * cost words × phrases sharing a first stem; numbers one pass over the words. A request
 * reports at most MAX_ENTITY_MATCHES entities (the earliest ones after overlaps are settled).
 */
export const MAX_ENTITY_MATCHES = 100;
export const MAX_MATCHES_PER_PATTERN = 100;
