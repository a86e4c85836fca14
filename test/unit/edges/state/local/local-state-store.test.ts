import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { openLocalStateStore } from '../../../../../controller/edges/state/local/local-state-store.js';
import { isPatchwardError } from '../../../../../controller/errors.js';
import type { StateDocumentType } from '../../../../../controller/ports/state-store.js';
import { NOTE } from '../../../../helpers/state-documents.js';
import { StateProcess } from './state-process.js';

const NOW = new Date('2026-12-02T14:00:00Z');
const roots: string[] = [];
function freshDirectory(): string {
  const root = mkdtempSync(join(tmpdir(), 'pw-state-'));
  roots.push(root);
  return join(root, 'state');
}
/** Every child process a test starts; all are killed after each test, whatever it asserted. */
const spawned: StateProcess[] = [];
afterEach(async () => {
  await Promise.all(spawned.splice(0).map((child) => child.kill()));
});
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Asserts a rejection is a PatchwardError of this kind and code, and returns its message. */
async function rejectsWith(promise: Promise<unknown>, kind: string, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isPatchwardError(error), `not a PatchwardError: ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    assert.equal(error.code, code, error.message);
    return error.message;
  }
  assert.fail(`expected a ${kind} ${code} error`);
}

describe('local state store: documents', () => {
  it('writes, reads, lists and deletes documents keyed by kind and name, each with format, version and revision', async () => {
    const directory = freshDirectory();
    const store = await openLocalStateStore({ directory, now: NOW });
    try {
      assert.equal(await store.get(NOTE, 'web-1'), undefined);
      const first = await store.put(NOTE, 'web-1', { text: 'a' });
      assert.ok(first.ok);
      const second = await store.put(NOTE, 'web-1', { text: 'b' });
      assert.ok(second.ok);
      assert.notEqual(second.value.revision, first.value.revision);
      assert.match(second.value.revision, /^2-[0-9a-f]{8}$/);
      assert.ok((await store.put(NOTE, 'db-1', { text: 'c' })).ok);
      const read = await store.get(NOTE, 'web-1');
      assert.deepEqual(read, { kind: 'note', name: 'web-1', revision: second.value.revision, value: { text: 'b' } });
      const onDisk = JSON.parse(readFileSync(join(directory, 'note', 'web-1.json'), 'utf8'));
      assert.deepEqual(onDisk, {
        format: 1,
        kind: 'note',
        name: 'web-1',
        version: 2,
        revision: second.value.revision,
        data: { text: 'b' },
      });
      assert.deepEqual(JSON.parse(readFileSync(join(directory, 'store.json'), 'utf8')), { format: 1, kind: 'patchward-state' });
      assert.deepEqual(
        (await store.list(NOTE)).map((document) => [document.name, document.value.text]),
        [
          ['db-1', 'c'],
          ['web-1', 'b'],
        ],
      );
      assert.ok((await store.delete(NOTE, 'web-1')).ok);
      assert.equal(await store.get(NOTE, 'web-1'), undefined);
      assert.ok((await store.delete(NOTE, 'web-1')).ok, 'deleting an absent document without a condition');
    } finally {
      await store.close();
    }
  });

  it('keeps every name inside its kind directory, one file per name, and gives the names back', async () => {
    const directory = freshDirectory();
    const store = await openLocalStateStore({ directory, now: NOW });
    const names = ['../../etc/passwd', 'policy/ring', '.hidden', 'a b', 'Ünïcode', 'x'.repeat(300), 'x'.repeat(299) + 'y', '%41', 'A'];
    try {
      for (const name of names) assert.ok((await store.put(NOTE, name, { text: name })).ok);
      assert.deepEqual(readdirSync(directory).sort(), ['lock-owner.json', 'lock.db', 'note', 'store.json']);
      assert.equal(readdirSync(join(directory, 'note')).length, names.length);
      for (const file of readdirSync(join(directory, 'note'))) assert.ok(file.length <= 255 && !file.startsWith('.'), file);
      for (const name of names) assert.equal((await store.get(NOTE, name))?.value.text, name);
      assert.deepEqual(
        (await store.list(NOTE)).map((document) => document.name),
        [...names].sort(),
      );
      await rejectsWith(store.put(NOTE, 'bad\nname', { text: '' }), 'Stalled', 'StateInvalidKey');
      await rejectsWith(store.put({ ...NOTE, kind: '../x' }, 'n', { text: '' }), 'Stalled', 'StateInvalidKey');
    } finally {
      await store.close();
    }
  });

  it('compare-and-swap: a write or delete with a stale revision or a wrong presence is a returned conflict that changes nothing', async () => {
    const store = await openLocalStateStore({ directory: freshDirectory(), now: NOW });
    try {
      const created = await store.put(NOTE, 'h', { text: 'v1' }, { absent: true });
      assert.ok(created.ok);
      const again = await store.put(NOTE, 'h', { text: 'other' }, { absent: true });
      assert.deepEqual(again, {
        ok: false,
        error: { code: 'StateConflict', kind: 'note', name: 'h', expected: 'absent', actual: created.value.revision },
      });
      const updated = await store.put(NOTE, 'h', { text: 'v2' }, { revision: created.value.revision });
      assert.ok(updated.ok);
      const stale = await store.put(NOTE, 'h', { text: 'lost update' }, { revision: created.value.revision });
      assert.equal(stale.ok, false);
      const staleDelete = await store.delete(NOTE, 'h', { revision: created.value.revision });
      assert.equal(staleDelete.ok, false);
      assert.equal((await store.get(NOTE, 'h'))?.value.text, 'v2');
      // Two writers in one process holding the same revision: exactly one wins.
      const racing = await Promise.all(['x', 'y', 'z'].map((text) => store.put(NOTE, 'h', { text }, { revision: updated.value.revision })));
      assert.equal(racing.filter((outcome) => outcome.ok).length, 1);
      // A deleted and re-created document never gets a revision back that an old holder still has.
      assert.ok((await store.delete(NOTE, 'h')).ok);
      assert.ok((await store.put(NOTE, 'h', { text: 'new life' })).ok);
      assert.equal((await store.put(NOTE, 'h', { text: 'old holder' }, { revision: created.value.revision })).ok, false);
    } finally {
      await store.close();
    }
  });

  it('upgrades an older document version through the decoder; refuses a newer version and a newer store format (Stalled)', async () => {
    const directory = freshDirectory();
    const store = await openLocalStateStore({ directory, now: NOW });
    const file = join(directory, 'note', 'h.json');
    try {
      assert.ok((await store.put(NOTE, 'h', { text: 'x' })).ok);
      writeFileSync(file, JSON.stringify({ format: 1, kind: 'note', name: 'h', version: 1, revision: '7-a', data: 'old' }));
      assert.deepEqual(await store.get(NOTE, 'h'), { kind: 'note', name: 'h', revision: '7-a', value: { text: 'old' } });
      writeFileSync(file, JSON.stringify({ format: 1, kind: 'note', name: 'h', version: 3, revision: '8-a', data: { text: 'x' } }));
      const message = await rejectsWith(store.get(NOTE, 'h'), 'Stalled', 'StateFormatTooNew');
      assert.match(message, /note version 3, newer than the 2 this patchward knows/);
      await rejectsWith(store.put(NOTE, 'h', { text: 'overwrite' }), 'Stalled', 'StateFormatTooNew');
      await rejectsWith(store.list(NOTE), 'Stalled', 'StateFormatTooNew');
      writeFileSync(file, JSON.stringify({ format: 2, kind: 'note', name: 'h', version: 2, revision: '9-a', data: { text: 'x' } }));
      await rejectsWith(store.get(NOTE, 'h'), 'Stalled', 'StateFormatTooNew');
      writeFileSync(file, '{"format":1,"kind":"note","name":"h","version":2,"revision":"1-a","data":{"text":5}}');
      assert.match(await rejectsWith(store.get(NOTE, 'h'), 'Stalled', 'StateDocumentInvalid'), /field "text" must be a string/);
      writeFileSync(file, '{"format":1,');
      await rejectsWith(store.get(NOTE, 'h'), 'Stalled', 'StateDocumentInvalid');
      writeFileSync(file, JSON.stringify({ format: 1, kind: 'note', name: 'other', version: 2, revision: '1-a', data: { text: 'x' } }));
      await rejectsWith(store.get(NOTE, 'h'), 'Stalled', 'StateDocumentInvalid');
    } finally {
      await store.close();
    }
    writeFileSync(join(directory, 'store.json'), '{"format":2}');
    const message = await rejectsWith(openLocalStateStore({ directory, now: NOW }), 'Stalled', 'StateFormatTooNew');
    assert.match(message, /format 2, newer than the 1/);
    await rejectsWith(openLocalStateStore({ directory, now: NOW, readOnly: true }), 'Stalled', 'StateFormatTooNew');
  });

  it('read-only: takes no lock, creates nothing, refuses writes', async () => {
    const directory = freshDirectory();
    const missing = await openLocalStateStore({ directory, now: NOW, readOnly: true });
    assert.equal(await missing.get(NOTE, 'h'), undefined);
    assert.deepEqual(await missing.list(NOTE), []);
    await rejectsWith(missing.put(NOTE, 'h', { text: '' }), 'Stalled', 'StateReadOnly');
    const writer = await openLocalStateStore({ directory, now: NOW });
    try {
      assert.ok((await writer.put(NOTE, 'h', { text: 'seen' })).ok);
      const reader = await openLocalStateStore({ directory, now: NOW, readOnly: true });
      assert.equal((await reader.get(NOTE, 'h'))?.value.text, 'seen');
      assert.equal(reader.writable, false);
    } finally {
      await writer.close();
    }
    await rejectsWith(writer.put(NOTE, 'h', { text: 'after close' }), 'Stalled', 'StateReadOnly');
  });

  it('a kind nobody registered is just another directory: types do not share documents', async () => {
    const store = await openLocalStateStore({ directory: freshDirectory(), now: NOW });
    const other: StateDocumentType<{ text: string }> = { ...NOTE, kind: 'other-note' };
    try {
      assert.ok((await store.put(NOTE, 'h', { text: 'note' })).ok);
      assert.equal(await store.get(other, 'h'), undefined);
    } finally {
      await store.close();
    }
  });
});

describe('local state store: crashes and the exclusive lock (real child processes)', () => {
  it('a process killed between writing the new file and renaming it leaves the old document; the next open clears its temporary file', async () => {
    const directory = freshDirectory();
    const store = await openLocalStateStore({ directory, now: NOW });
    const old = await store.put(NOTE, 'one', { text: 'old' });
    assert.ok(old.ok);
    await store.close();
    const child = new StateProcess([directory, 'crash-before-rename', 'new'], spawned);
    try {
      const event = await child.next();
      assert.equal(event.event, 'before-rename');
      const temporary = String(event['temporary']);
      assert.match(readFileSync(temporary, 'utf8'), /"text": "new"/, 'the new document was fully written before the rename');
    } finally {
      await child.kill();
    }
    assert.equal(readdirSync(join(directory, 'note')).filter((file) => file.startsWith('.tmp-')).length, 1);
    const reopened = await openLocalStateStore({ directory, now: NOW });
    try {
      assert.deepEqual(await reopened.get(NOTE, 'one'), {
        kind: 'note',
        name: 'one',
        revision: old.value.revision,
        value: { text: 'old' },
      });
      assert.deepEqual(readdirSync(join(directory, 'note')), ['one.json']);
    } finally {
      await reopened.close();
    }
  });

  it('two processes never drive the same state: the second is refused (Stalled, naming the holder); the lock is free once the holder dies', async () => {
    const directory = freshDirectory();
    const holder = new StateProcess([directory, 'hold'], spawned);
    try {
      const locked = await holder.next();
      assert.equal(locked.event, 'locked');
      const contender = new StateProcess([directory, 'hold'], spawned);
      const refused = await contender.next();
      assert.equal(refused.event, 'refused');
      assert.equal(refused['code'], 'StateLocked');
      assert.equal(refused['kind'], 'Stalled');
      assert.match(String(refused['message']), new RegExp(`in use by another patchward process \\(pid ${locked['pid']} on .*running\\)`));
      assert.equal(await contender.exited, 3);
      const message = await rejectsWith(openLocalStateStore({ directory, now: NOW }), 'Stalled', 'StateLocked');
      assert.match(message, new RegExp(`pid ${locked['pid']}`));
    } finally {
      await holder.kill();
    }
    // SIGKILL left the owner file behind, but the kernel dropped the lock with the process.
    const store = await openLocalStateStore({ directory, now: NOW });
    try {
      assert.equal(JSON.parse(readFileSync(join(directory, 'lock-owner.json'), 'utf8')).pid, process.pid);
      await rejectsWith(openLocalStateStore({ directory, now: NOW }), 'Stalled', 'StateLocked');
    } finally {
      await store.close();
    }
  });

  it('of processes that open the same directory at the same moment, exactly one gets the lock', async () => {
    const directory = freshDirectory();
    const contenders = [1, 2, 3].map(() => new StateProcess([directory, 'hold'], spawned));
    try {
      const events = await Promise.all(contenders.map((contender) => contender.next()));
      assert.deepEqual(events.map((event) => event.event).sort(), ['locked', 'refused', 'refused']);
      await rejectsWith(openLocalStateStore({ directory, now: NOW }), 'Stalled', 'StateLocked');
    } finally {
      await Promise.all(contenders.map((contender) => contender.kill()));
    }
  });
});
