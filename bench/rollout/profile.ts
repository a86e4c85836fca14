/**
 * Where a `patchward rollout` run spends its time, read from its own output: every host step line
 * carries its end time and its duration (`<ISO time> <ring> <host> <step> ok: … (1.2 s)`).
 */

export interface StepFigures {
  readonly step: string;
  readonly hosts: number;
  readonly medianMs: number;
  readonly maxMs: number;
}

export interface RolloutProfile {
  /** From the spawn to the first host step starting (Node start, policy load, Git revision, state lock, and, since the engine plans with `planRollout`, the fleet inventory). */
  readonly beforeStepsMs: number;
  /** From the first host step starting to the last one ending. */
  readonly stepsMs: number;
  /** From the last host step ending to the process exit (summary, pool close). */
  readonly afterStepsMs: number;
  readonly steps: readonly StepFigures[];
}

const LINE = /^(\d{4}-\d\d-\d\dT\S+Z) \S+ \S+ (\S+) (\S+)(?:: .*?)?(?: \((\d+(?:\.\d+)?) s\))?$/;

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

export function profileRollout(stdout: string, startedAt: number, seconds: number): RolloutProfile {
  const durations = new Map<string, number[]>();
  let firstStart = Number.POSITIVE_INFINITY;
  let lastEnd = 0;
  for (const line of stdout.split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const [, time = '', step = '', , duration] = match;
    if (step === 'waiting') continue;
    const end = Date.parse(time);
    const ms = duration === undefined ? 0 : Number(duration) * 1000;
    firstStart = Math.min(firstStart, end - ms);
    lastEnd = Math.max(lastEnd, end);
    if (duration !== undefined) durations.set(step, [...(durations.get(step) ?? []), ms]);
  }
  const exit = startedAt + seconds * 1000;
  if (lastEnd === 0) return { beforeStepsMs: seconds * 1000, stepsMs: 0, afterStepsMs: 0, steps: [] };
  return {
    beforeStepsMs: firstStart - startedAt,
    stepsMs: lastEnd - firstStart,
    afterStepsMs: exit - lastEnd,
    steps: [...durations].map(([step, values]) => ({ step, hosts: values.length, medianMs: median(values), maxMs: Math.max(...values) })),
  };
}

export function formatProfile(profile: RolloutProfile): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `  before the first host step ${s(profile.beforeStepsMs)} (node start, policy load, git revision, state lock; the planner's fleet inventory)`,
    `  host sequences             ${s(profile.stepsMs)}`,
    `  after the last host step   ${s(profile.afterStepsMs)}`,
    ...profile.steps.map(
      (step) =>
        `  step ${step.step.padEnd(9)} median ${s(step.medianMs)}, max ${s(step.maxMs)} over ${step.hosts} hosts (0.1 s resolution)`,
    ),
  ].join('\n');
}
