import { KubeConfig } from '@kubernetes/client-node';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TestServerError } from './errors.js';
import { createKubePki, type KubePki } from './pki.js';
import {
  freePort,
  httpRequest,
  logTail,
  loopbackEnv,
  runCommand,
  startProcess,
  stopProcess,
  waitUntil,
  type CommandResult,
  type ManagedProcess,
} from './process.js';
import { createRunDir, removeRunDir } from './run-dir.js';
import { requireExecutable, serverBinaries } from './versions.js';

/** A running etcd + kube-apiserver pair on loopback, reachable as the superuser "admin". */
export interface KubeServer {
  /** https://127.0.0.1:<port> */
  readonly url: string;
  readonly etcdUrl: string;
  /** kubeconfig with inline certificates, current context "patchward-test" (user admin). */
  readonly kubeconfigPath: string;
  /** Absolute path of the built kubectl (never the one on PATH). */
  readonly kubectlPath: string;
  /** Static bearer token of user "admin-token" in group system:masters (also in the kubeconfig). */
  readonly adminToken: string;
  readonly runDir: string;
  readonly pki: KubePki;
  readonly logPaths: { readonly etcd: string; readonly apiserver: string };
  /** A fresh client-node KubeConfig loaded from kubeconfigPath. */
  kubeConfig(): KubeConfig;
  /** Runs the built kubectl against this server; CommandFailed on a non-zero exit. */
  kubectl(args: readonly string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
  /** The last lines of both server logs, for failure reports. */
  logs(lines?: number): string;
  /** Stops kube-apiserver then etcd (process groups, by recorded PID) and removes the run dir. */
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

export interface StartKubeOptions {
  /** Budget for etcd and kube-apiserver to become ready (default 120 s). */
  readonly timeoutMs?: number;
}

const BIND_RETRIES = 3;

function isBindRace(proc: ManagedProcess): boolean {
  return /address already in use/i.test(logTail(proc.logPath, 40));
}

async function startEtcd(binary: string, runDir: string, timeoutMs: number): Promise<{ proc: ManagedProcess; url: string }> {
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const url = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const proc = startProcess(
      'etcd',
      binary,
      [
        '--name=test',
        `--data-dir=${join(runDir, 'etcd-data')}`,
        `--listen-client-urls=${url}`,
        `--advertise-client-urls=${url}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=test=${peer}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      { logPath: join(runDir, 'etcd.log'), env: loopbackEnv(), cwd: runDir },
    );
    try {
      await waitUntil(
        `etcd ${url}/health`,
        async () => {
          const res = await httpRequest(`${url}/health`, { timeoutMs: 2_000 });
          return res.status === 200 && /"health":\s*"true"/.test(res.body) ? true : undefined;
        },
        { timeoutMs, proc },
      );
      return { proc, url };
    } catch (err) {
      await stopProcess(proc, 2_000);
      if (attempt < BIND_RETRIES && isBindRace(proc)) continue;
      throw err;
    }
  }
}

async function startApiserver(
  binary: string,
  runDir: string,
  pki: KubePki,
  etcdUrl: string,
  tokenFile: string,
  timeoutMs: number,
): Promise<{ proc: ManagedProcess; url: string }> {
  const ca = readFileSync(pki.caCert);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const proc = startProcess(
      'kube-apiserver',
      binary,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1', // no default route here: never look for one
        `--secure-port=${port}`,
        `--cert-dir=${join(runDir, 'apiserver-certs')}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${tokenFile}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=${url}`,
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        '--service-cluster-ip-range=10.0.0.0/24',
        // No controller-manager creates the "default" ServiceAccount (as in envtest).
        '--disable-admission-plugins=ServiceAccount',
        '--allow-privileged=true',
        '--endpoint-reconciler-type=none',
        '--profiling=false',
      ],
      { logPath: join(runDir, 'kube-apiserver.log'), env: loopbackEnv(), cwd: runDir },
    );
    try {
      await waitUntil(
        `kube-apiserver ${url}/readyz`,
        async () => {
          const res = await httpRequest(`${url}/readyz`, { ca, timeoutMs: 5_000 });
          return res.status === 200 ? true : undefined;
        },
        { timeoutMs, proc, intervalMs: 250 },
      );
      return { proc, url };
    } catch (err) {
      await stopProcess(proc, 5_000);
      if (attempt < BIND_RETRIES && isBindRace(proc)) continue;
      throw err;
    }
  }
}

function writeKubeconfig(path: string, url: string, pki: KubePki, token: string): void {
  const b64 = (file: string): string => readFileSync(file).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'patchward-test', cluster: { server: url, 'certificate-authority-data': b64(pki.caCert) } }],
    users: [
      {
        name: 'admin',
        user: { 'client-certificate-data': b64(pki.adminCert), 'client-key-data': b64(pki.adminKey) },
      },
      { name: 'admin-token', user: { token } },
    ],
    contexts: [
      { name: 'patchward-test', context: { cluster: 'patchward-test', user: 'admin', namespace: 'default' } },
      { name: 'patchward-test-token', context: { cluster: 'patchward-test', user: 'admin-token', namespace: 'default' } },
    ],
    'current-context': 'patchward-test',
  };
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

/** Starts etcd and kube-apiserver on free loopback ports and waits for /readyz. */
export async function startKube(options: StartKubeOptions = {}): Promise<KubeServer> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const bins = serverBinaries();
  const etcdBin = requireExecutable(bins.etcd);
  const apiserverBin = requireExecutable(bins.kubeApiserver);
  const kubectlPath = requireExecutable(bins.kubectl);

  const runDir = createRunDir('kube');
  const pkiDir = join(runDir, 'pki');
  mkdirSync(pkiDir);
  let etcd: ManagedProcess | undefined;
  try {
    const pki = await createKubePki(pkiDir);
    const adminToken = randomBytes(24).toString('hex');
    const tokenFile = join(pkiDir, 'tokens.csv');
    writeFileSync(tokenFile, `${adminToken},admin-token,admin-token-uid,"system:masters"\n`, { mode: 0o600 });

    const started = await startEtcd(etcdBin, runDir, timeoutMs);
    etcd = started.proc;
    const apiserver = await startApiserver(apiserverBin, runDir, pki, started.url, tokenFile, timeoutMs);
    const kubeconfigPath = join(runDir, 'kubeconfig');
    writeKubeconfig(kubeconfigPath, apiserver.url, pki, adminToken);
    const etcdProc = etcd;
    const kubectlEnv = { ...loopbackEnv(), KUBECONFIG: kubeconfigPath, KUBECACHEDIR: join(runDir, 'kubectl-cache') };
    const logPaths = { etcd: etcdProc.logPath, apiserver: apiserver.proc.logPath };
    let stopped = false;
    return {
      url: apiserver.url,
      etcdUrl: started.url,
      kubeconfigPath,
      kubectlPath,
      adminToken,
      runDir,
      pki,
      logPaths,
      kubeConfig() {
        const kc = new KubeConfig();
        kc.loadFromFile(kubeconfigPath);
        return kc;
      },
      kubectl(args, opts = {}) {
        return runCommand(kubectlPath, ['--kubeconfig', kubeconfigPath, ...args], {
          env: kubectlEnv,
          timeoutMs: opts.timeoutMs ?? 60_000,
        });
      },
      logs(lines = 60) {
        return (
          `--- ${logPaths.apiserver} (last ${lines} lines)\n${logTail(logPaths.apiserver, lines)}\n` +
          `--- ${logPaths.etcd} (last ${lines} lines)\n${logTail(logPaths.etcd, lines)}\n`
        );
      },
      async stop(stopOptions = {}) {
        if (stopped) return;
        stopped = true;
        await stopProcess(apiserver.proc);
        await stopProcess(etcdProc);
        removeRunDir(runDir, stopOptions.keepRunDir ?? false);
      },
    };
  } catch (err) {
    if (etcd) await stopProcess(etcd, 2_000);
    removeRunDir(runDir, true);
    if (err instanceof TestServerError) throw err;
    throw new TestServerError('StartFailed', `could not start kube-apiserver: ${String(err)}`, { runDir }, { cause: err });
  }
}
