import type { Transport } from '../../ports/transport.js';

/** The Ring's health check, narrowed to what running it needs (durations already in milliseconds). */
export interface HealthCheckInput {
  readonly name: string;
  readonly command?: readonly string[];
  readonly http?: { readonly url: string; readonly expectStatus?: number };
  readonly tcp?: { readonly port: number };
  readonly prometheus?: {
    readonly url: string;
    readonly query: string;
    readonly threshold: { readonly max?: number; readonly min?: number };
  };
  /** One attempt's limit. */
  readonly timeoutMs: number;
  /** Extra attempts after a failed one (default 0). */
  readonly retries?: number;
  /** Pause between attempts (default 10 s). */
  readonly intervalMs?: number;
}

/** The host a check looks at. */
export interface HealthTarget {
  /** Fleet host name (`{host}` in a Prometheus query). */
  readonly name: string;
  /** Host address (`{address}` in an HTTP URL or a Prometheus query; the TCP target). */
  readonly address: string;
  /** For command checks: the host's transport and whether it uses sudo. */
  readonly transport?: Transport;
  readonly sudo?: boolean;
}

/** One series (or the scalar) a Prometheus check read, with its labels. */
export interface SeriesValue {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * What blocked (or passed) the gate, in words and in parts, for status and audit: which check,
 * and for a Prometheus check which series, its value and the threshold.
 */
export interface HealthSignal {
  readonly kind: 'command' | 'tcp' | 'http' | 'prometheus';
  readonly detail: string;
  readonly series?: readonly SeriesValue[];
  readonly threshold?: { readonly max?: number; readonly min?: number };
}

/** One attempt's verdict. */
export interface AttemptResult {
  readonly status: 'pass' | 'fail' | 'timeout';
  readonly signal: HealthSignal;
}

/** A check's outcome after its attempts. The engine applies `onFailure` / `onTimeout`. */
export interface HealthOutcome {
  readonly check: string;
  readonly outcome: 'passed' | 'failed' | 'timed-out';
  readonly attempts: number;
  /** The last attempt's signal: for a blocked gate, what blocked it. */
  readonly signal: HealthSignal;
  /** `check <name>: <signal detail>`: one line for status conditions and the audit log. */
  readonly message: string;
}
