/** Builders of the hostile corpus: records, inventories, zip archives and feed servers, made in the test. */
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

export function workdir(): string {
  return mkdtempSync(path.join(tmpdir(), 'patchward-hostile-'));
}

/** A Debian 12 OSV record fixing `name` at `fixed`. */
export function osvRecord(id: string, options: { name?: string; fixed?: string; modified?: string; summary?: string } = {}): string {
  return JSON.stringify({
    id,
    modified: options.modified ?? '2026-01-01T00:00:00Z',
    ...(options.summary === undefined ? {} : { summary: options.summary }),
    affected: [
      {
        package: { ecosystem: 'Debian:12', name: options.name ?? 'openssl' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: options.fixed ?? '3.0.15-1~deb12u1' }] }],
      },
    ],
  });
}

export interface HostSpec {
  readonly host: string;
  readonly release?: string;
  readonly packages?: readonly { name: string; version: string; source?: string; sourceVersion?: string }[];
  readonly reason?: string;
  readonly status?: string;
}

/** A HostInventoryList document (Debian 12 hosts with openssl 3.0.11 unless told otherwise). */
export function inventoryList(hosts: readonly HostSpec[]): string {
  return JSON.stringify({
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'HostInventoryList',
    items: hosts.map((spec) => ({
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'HostInventory',
      host: spec.host,
      collectedAt: '2026-11-21T12:00:00Z',
      status: spec.status ?? 'ok',
      ...(spec.reason === undefined ? {} : { reason: spec.reason }),
      os: { id: 'debian', versionId: '12', family: 'debian', release: spec.release ?? 'debian-12' },
      packages: (
        spec.packages ?? [{ name: 'libssl3', version: '3.0.11-1~deb12u2', source: 'openssl', sourceVersion: '3.0.11-1~deb12u2' }]
      ).map((item) => ({ arch: 'amd64', ...item })),
      reboot: { required: false, reasons: [] },
    })),
  });
}

export interface ZipEntrySpec {
  readonly name: string;
  readonly data: Buffer | string;
  /** Deflate the data (default true). */
  readonly deflate?: boolean;
  /** Unix mode to record in the external attributes (e.g. 0o120777 for a symbolic link). */
  readonly unixMode?: number;
  /** Point the central directory at the local header of an earlier entry (overlapping entries). */
  readonly sameDataAs?: number;
}

/** A zip archive with deflated or stored entries, optionally overlapping or marked as symbolic links. */
export function buildZip(entries: readonly ZipEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  const records: { compressed: number; size: number; crc: number; method: number }[] = [];
  let offset = 0;
  entries.forEach((entry, index) => {
    const data = Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8');
    const fileName = Buffer.from(entry.name, 'utf8');
    let meta: { compressed: number; size: number; crc: number; method: number };
    let localOffset: number;
    if (entry.sameDataAs !== undefined) {
      meta = records[entry.sameDataAs] as typeof meta;
      localOffset = offsets[entry.sameDataAs] as number;
    } else {
      const method = entry.deflate === false ? 0 : 8;
      const body = method === 8 ? deflateRawSync(data) : data;
      meta = { compressed: body.length, size: data.length, crc: crc32(data), method };
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(meta.crc, 14);
      local.writeUInt32LE(meta.compressed, 18);
      local.writeUInt32LE(meta.size, 22);
      local.writeUInt16LE(fileName.length, 26);
      localOffset = offset;
      parts.push(local, fileName, body);
      offset += local.length + fileName.length + body.length;
    }
    records[index] = meta;
    offsets[index] = localOffset;
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.unixMode === undefined ? 20 : 0x0314, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(meta.method, 10);
    central.writeUInt32LE(meta.crc, 16);
    central.writeUInt32LE(meta.compressed, 20);
    central.writeUInt32LE(meta.size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(entry.unixMode === undefined ? 0 : (entry.unixMode << 16) >>> 0, 38);
    central.writeUInt32LE(localOffset, 42);
    centrals.push(central, fileName);
  });
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** A real HTTP server on 127.0.0.1 answering with `handler`; `url(path)` gives its address. */
export class TestServer {
  readonly requests: { url: string; headers: IncomingMessage['headers'] }[] = [];
  readonly #server: Server;
  #port = 0;

  constructor(handler: (request: IncomingMessage, response: ServerResponse) => void) {
    this.#server = createServer((request, response) => {
      this.requests.push({ url: request.url ?? '', headers: request.headers });
      handler(request, response);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  url(pathname: string, host = '127.0.0.1', credentials = ''): string {
    return `http://${credentials}${host}:${this.#port}${pathname}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
