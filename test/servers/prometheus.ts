/**
 * A real Prometheus (Debian package `prometheus`, see test/system-packages.txt) for the health-check
 * tests: a temp config and data dir, listening on a free loopback port, scraping the given targets
 * every second. Started and stopped by each test file; `stop()` ends its process group.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestServerError } from './errors.js';
import { freePort, logTail, type ManagedProcess, startProcess, stopProcess, waitUntil } from './process.js';
import { createRunDir, removeRunDir } from './run-dir.js';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';

export interface PrometheusServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly runDir: string;
  logs(): string;
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

export interface PrometheusOptions {
  /** `host:port` of each scrape target (its `/metrics` is scraped by job `patchward-test`). */
  readonly targets: readonly string[];
  readonly scrapeIntervalSeconds?: number;
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  if (!existsSync(PROMETHEUS_BINARY))
    throw new TestServerError(
      'BinaryMissing',
      `${PROMETHEUS_BINARY} is missing: apt-get install prometheus (listed in test/system-packages.txt)`,
    );
  const runDir = createRunDir('prometheus');
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  writeFileSync(
    join(runDir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${interval}`,
      `  evaluation_interval: ${interval}`,
      'scrape_configs:',
      '  - job_name: patchward-test',
      '    static_configs:',
      `      - targets: [${options.targets.map((target) => JSON.stringify(target)).join(', ')}]`,
      '',
    ].join('\n'),
  );
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc: ManagedProcess = startProcess(
      'prometheus',
      PROMETHEUS_BINARY,
      [
        `--config.file=${join(runDir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(runDir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { logPath: join(runDir, 'prometheus.log'), cwd: runDir },
    );
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(
        'prometheus /-/ready',
        async () => {
          const response = await fetch(`${url}/-/ready`).catch(() => undefined);
          return response?.status === 200 ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 100, proc },
      );
    } catch (error) {
      await stopProcess(proc, 2000);
      if (attempt < 3 && /address already in use/.test(logTail(proc.logPath))) continue;
      removeRunDir(runDir, true);
      throw error;
    }
    return {
      url,
      runDir,
      logs: () => logTail(proc.logPath),
      async stop(stopOptions = {}) {
        await stopProcess(proc, 5000);
        removeRunDir(runDir, stopOptions.keepRunDir === true);
      },
    };
  }
}
