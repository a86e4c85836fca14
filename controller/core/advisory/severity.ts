/**
 * Our severity scale and the mappings onto it: CVSS base scores (v2, v3.0, v3.1, v4.0) and the
 * distributions' own words (Ubuntu priority, Debian tracker urgency, Red Hat/AlmaLinux impact).
 *
 * Which one wins (`rateSeverity`): the distribution's own rating for that package and release
 * first (it weighs how the package is built and shipped), then the record's distribution rating,
 * then the highest CVSS base score. No rating at all → `level: undefined` ("unrated"); we never
 * invent one. The highest CVSS score is always kept in `score` for reports.
 */
import cvssCalculator from 'ae-cvss-calculator';
import type { OsvSeverity } from './osv-record.js';

export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['none', 'low', 'medium', 'high', 'critical'];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { none: 0, low: 1, medium: 2, high: 3, critical: 4 };

export type SeveritySource = 'ubuntu-priority' | 'debian-urgency' | 'vendor-impact' | 'cvss' | 'alias' | 'none';

export interface SeverityRating {
  /** `undefined` when nothing rates the advisory. */
  readonly level: Severity | undefined;
  readonly source: SeveritySource;
  /** Highest CVSS base score found, 0.0–10.0. */
  readonly score?: number;
  /** The vector that gave `score`. */
  readonly vector?: string;
}

export const UNRATED: SeverityRating = Object.freeze({ level: undefined, source: 'none' });

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** CVSS v3/v4 qualitative rating of a base score (FIRST: 0 none, <4 low, <7 medium, <9 high). */
export function severityOfScore(score: number): Severity {
  if (score <= 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

type Calculator = { calculateScores(): { base?: number; overall?: number } };
type CalculatorClass = new (vector: string) => Calculator;

function calculatorFor(type: string, vector: string): CalculatorClass | undefined {
  const lib = cvssCalculator as unknown as Record<string, CalculatorClass>;
  if (type === 'CVSS_V4' || vector.startsWith('CVSS:4.0/')) return lib['Cvss4P0'];
  if (vector.startsWith('CVSS:3.1/')) return lib['Cvss3P1'];
  if (vector.startsWith('CVSS:3.0/')) return lib['Cvss3P0'];
  if (type === 'CVSS_V2') return lib['Cvss2'];
  return undefined;
}

const V3_BASE = /^CVSS:3\.[01]\/AV:[NALP]\/AC:[LH]\/PR:[NLH]\/UI:[NR]\/S:[UC]\/C:[NLH]\/I:[NLH]\/A:[NLH](\/[A-Za-z]+:[A-Za-z])*$/;
const V4_BASE =
  /^CVSS:4\.0\/AV:[NALP]\/AC:[LH]\/AT:[NP]\/PR:[NLH]\/UI:[NPA]\/VC:[HLN]\/VI:[HLN]\/VA:[HLN]\/SC:[HLN]\/SI:[HLN]\/SA:[HLN](\/[A-Za-z]+:[A-Za-z])*$/;
const V2_BASE = /^(AV:[LAN]\/AC:[HML]\/Au:[MSN]\/C:[NPC]\/I:[NPC]\/A:[NPC])(\/[A-Za-z]+:[A-Za-z]+)*$/;

/**
 * Base score of a CVSS vector, or `undefined` when the vector is not a complete, well-formed base
 * vector (the library would otherwise score missing metrics with defaults).
 */
export function cvssBaseScore(type: string, vector: string): number | undefined {
  const wellFormed = V3_BASE.test(vector) || V4_BASE.test(vector) || (type === 'CVSS_V2' && V2_BASE.test(vector));
  if (!wellFormed) return undefined;
  const Calculator = calculatorFor(type, vector);
  if (Calculator === undefined) return undefined;
  try {
    const scores = new Calculator(vector).calculateScores();
    const base = scores.base ?? scores.overall;
    return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
  } catch {
    return undefined;
  }
}

/** Ubuntu priorities: negligible, low, medium, high, critical (untriaged → no rating). */
export function severityOfUbuntuPriority(priority: string): Severity | undefined {
  if (priority === 'negligible') return 'none';
  return isSeverity(priority) ? priority : undefined;
}

/**
 * Debian security-tracker urgency: unimportant, low, medium, high (with `**` when set by a
 * maintainer guess); `not yet assigned` and `end-of-life` give no rating.
 */
export function severityOfDebianUrgency(urgency: string): Severity | undefined {
  const word = urgency.replace(/\*+$/, '').trim();
  if (word === 'unimportant') return 'none';
  return word === 'low' || word === 'medium' || word === 'high' ? word : undefined;
}

/** Red Hat impact, as AlmaLinux puts it at the start of `summary`: `Important: openssl …`. */
export function severityOfVendorImpact(summary: string): Severity | undefined {
  const match = /^(Critical|Important|Moderate|Low):/.exec(summary);
  if (match === null) return undefined;
  const impact: Readonly<Record<string, Severity>> = { Critical: 'critical', Important: 'high', Moderate: 'medium', Low: 'low' };
  return impact[match[1] ?? ''];
}

/** Highest CVSS base score of a list of OSV severities, with its vector. */
export function highestCvss(severities: readonly OsvSeverity[] | undefined): { score: number; vector: string } | undefined {
  let best: { score: number; vector: string } | undefined;
  for (const entry of severities ?? []) {
    if (!entry.type.startsWith('CVSS_')) continue;
    const score = cvssBaseScore(entry.type, entry.score);
    if (score !== undefined && (best === undefined || score > best.score)) best = { score, vector: entry.score };
  }
  return best;
}

/** The `{type: "Ubuntu", score: "medium"}` entry of UBUNTU-CVE records (not standard OSV). */
export function distroSeverityWord(severities: readonly OsvSeverity[] | undefined): Severity | undefined {
  for (const entry of severities ?? []) {
    if (entry.type === 'Ubuntu') return severityOfUbuntuPriority(entry.score);
  }
  return undefined;
}

export function compareSeverity(a: Severity | undefined, b: Severity | undefined): number {
  return (a === undefined ? -1 : SEVERITY_RANK[a]) - (b === undefined ? -1 : SEVERITY_RANK[b]);
}
