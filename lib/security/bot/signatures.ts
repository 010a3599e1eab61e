// Named bot signatures from one identity's behaviour window. Pure: features in, signatures
// (with a score in 0.5–1 and the evidence that matched) out. Thresholds are per window
// (60 s by default) and chosen so that a person behind a browser or a mobile app — a few
// calls per second at most, mostly repeated resources, the odd 404, one sign-in — never
// reaches one; see bench/bot-detection.ts for the measured precision and recall.
import { z } from "zod";

export const SIGNATURES = ["flooder", "scraper", "brute-guesser", "credential-stuffer", "automation"] as const;
export type SignatureName = (typeof SIGNATURES)[number];

export const SIGNATURE_TITLES: Record<SignatureName, string> = {
  flooder: "Flooder",
  scraper: "Enumerator / Scraper",
  "brute-guesser": "Brute guesser",
  "credential-stuffer": "Credential stuffer",
  automation: "Automation client",
};

/** What one identity did in the current window. */
export interface WindowFeatures {
  requests: number;
  /** Calls that landed in a second in which this identity already made `burstPerSecond` calls. */
  burst: number;
  distinctPaths: number;
  /** Calls whose numeric identifier follows the previous call's on the same route (±1…3). */
  sequential: number;
  /** 401, 403 and 404 answers. */
  errors: number;
  /** Calls with an automation user agent, none, or a browser's without its usual headers. */
  automated: number;
  /** Failed password grants, client authentications, gateway 401s. */
  authFailures: number;
  /** Distinct usernames among the failed password grants. */
  distinctUsers: number;
}

export const Thresholds = z.object({
  windowMs: z.number().int().min(1_000).default(60_000),
  floodRequests: z.number().int().min(2).default(240),
  burstPerSecond: z.number().int().min(2).default(15),
  burstCalls: z.number().int().min(1).default(30),
  sequentialCalls: z.number().int().min(2).default(15),
  scrapeRequests: z.number().int().min(2).default(40),
  scrapeDistinctRatio: z.number().min(0).max(1).default(0.8),
  errorRequests: z.number().int().min(2).default(20),
  errorRatio: z.number().min(0).max(1).default(0.5),
  authFailures: z.number().int().min(2).default(8),
  /** distinct usernames / failures at or above which failures are stuffing, not guessing */
  stuffingUserRatio: z.number().min(0).max(1).default(0.5),
  automatedCalls: z.number().int().min(1).default(3),
});
export type Thresholds = z.infer<typeof Thresholds>;
export const DEFAULT_THRESHOLDS: Thresholds = Thresholds.parse({});

export interface Signature {
  name: SignatureName;
  score: number;
  evidence: Record<string, number | string>;
}

/** 0.5 at the threshold, rising towards 1 at four times it. */
const score = (value: number, threshold: number) => Math.round(Math.min(1, 0.5 + (0.5 * (value / threshold - 1)) / 3) * 100) / 100;
const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 100) / 100);

export function matchSignatures(f: WindowFeatures, t: Thresholds = DEFAULT_THRESHOLDS): Signature[] {
  const found: Signature[] = [];
  const windowSeconds = Math.round(t.windowMs / 1000);
  if (f.requests >= t.floodRequests || f.burst >= t.burstCalls) {
    found.push({
      name: "flooder",
      score: Math.max(score(f.requests, t.floodRequests), score(f.burst, t.burstCalls)),
      evidence: { requests: f.requests, windowSeconds, burstCalls: f.burst, burstPerSecond: t.burstPerSecond },
    });
  }
  const distinctRatio = ratio(f.distinctPaths, f.requests);
  const errorRatio = ratio(f.errors, f.requests);
  const enumerating = f.sequential >= t.sequentialCalls;
  const scraping = f.requests >= t.scrapeRequests && distinctRatio >= t.scrapeDistinctRatio;
  const probing = f.requests >= t.errorRequests && errorRatio >= t.errorRatio;
  if (enumerating || scraping || probing) {
    found.push({
      name: "scraper",
      score: Math.max(
        enumerating ? score(f.sequential, t.sequentialCalls) : 0,
        scraping ? score(f.requests, t.scrapeRequests) : 0,
        probing ? score(f.requests, t.errorRequests) : 0,
      ),
      evidence: { requests: f.requests, sequentialIds: f.sequential, distinctPaths: f.distinctPaths, distinctPathRatio: distinctRatio, errorAnswers: f.errors, errorRatio },
    });
  }
  if (f.authFailures >= t.authFailures) {
    const userRatio = ratio(f.distinctUsers, f.authFailures);
    found.push({
      name: userRatio >= t.stuffingUserRatio ? "credential-stuffer" : "brute-guesser",
      score: score(f.authFailures, t.authFailures),
      evidence: { failedLogins: f.authFailures, distinctUsernames: f.distinctUsers, windowSeconds },
    });
  }
  if (f.automated >= t.automatedCalls && f.automated * 2 >= f.requests) {
    found.push({ name: "automation", score: score(f.automated, t.automatedCalls), evidence: { automatedCalls: f.automated, requests: f.requests } });
  }
  return found.sort((a, b) => b.score - a.score);
}
