/**
 * Reads every `*.json` entry of a zip archive held in memory (osv.dev publishes `all.zip` per
 * ecosystem in this form) as OSV records. Entries larger than `maxEntryBytes` are skipped.
 */
import yauzl from 'yauzl';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import type { SkippedRecord } from '../../ports/advisory-source.js';
import { createOsvRecordReader } from './osv-schema.js';

export interface ZipRecords {
  readonly records: OsvRecord[];
  readonly skipped: SkippedRecord[];
}

const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 * 1024;

function openZip(buffer: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error !== null || zip === undefined) reject(error ?? new Error('cannot open zip'));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error !== null || stream === undefined) {
        reject(error ?? new Error('cannot read entry'));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/** Throws when the buffer is not a zip archive at all; bad entries are returned as `skipped`. */
export async function readOsvZip(buffer: Buffer, options: { maxEntryBytes?: number } = {}): Promise<ZipRecords> {
  const maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const zip = await openZip(buffer);
  const read = createOsvRecordReader();
  const records: OsvRecord[] = [];
  const skipped: SkippedRecord[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      if (name.endsWith('/') || !name.endsWith('.json')) {
        zip.readEntry();
        return;
      }
      if (entry.uncompressedSize > maxEntryBytes) {
        skipped.push({ origin: name, reason: 'unreadable', detail: `entry of ${entry.uncompressedSize} bytes exceeds ${maxEntryBytes}` });
        zip.readEntry();
        return;
      }
      readEntry(zip, entry).then(
        (text) => {
          const result = read(name, text);
          if (result.ok) records.push(result.record);
          else skipped.push(result.skipped);
          zip.readEntry();
        },
        (error: unknown) => {
          skipped.push({ origin: name, reason: 'unreadable', detail: error instanceof Error ? error.message : 'unreadable entry' });
          zip.readEntry();
        },
      );
    });
    zip.readEntry();
  });
  zip.close();
  return { records, skipped };
}
