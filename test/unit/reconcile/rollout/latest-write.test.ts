/**
 * `latestWrite`: requests that arrive while a write is in flight share ONE later write, which holds
 * the newest value; no request resolves before a write that began after it is durable; a failure
 * rejects what it carried and everything after it. The writes are fakes that finish on command.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latestWrite } from '../../../../controller/reconcile/rollout/latest-write.js';

/** A document whose writes record the value they began with and finish when the test says so. */
function document() {
  let value = 0;
  const begun: number[] = [];
  const durable: number[] = [];
  const finishers: ((error?: Error) => void)[] = [];
  const writer = latestWrite(() => {
    const wrote = value;
    begun.push(wrote);
    return new Promise<void>((resolve, reject) => {
      finishers.push((error) => {
        if (error !== undefined) return reject(error);
        durable.push(wrote);
        resolve();
      });
    });
  });
  const set = (next: number) => {
    value = next;
    return writer.request();
  };
  const finish = async (error?: Error) => {
    const next = finishers.shift();
    assert.ok(next, 'a write is in flight');
    next(error);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  return { set, finish, turn, begun, durable, writer };
}

describe('latestWrite', () => {
  it('writes at once when idle, then carries every change made during that write in one write of the newest value', {
    timeout: 5_000,
  }, async () => {
    const doc = document();
    const resolved: number[] = [];
    const first = doc.set(1).then(() => resolved.push(1));
    await doc.turn();
    assert.deepEqual(doc.begun, [1]);
    const later = [2, 3, 4].map((n) => doc.set(n).then(() => resolved.push(n)));
    await doc.turn();
    assert.deepEqual(doc.begun, [1], 'no second write while the first is in flight');
    await doc.finish();
    await first;
    assert.deepEqual(resolved, [1], 'the changes made during the first write are not durable yet');
    assert.deepEqual(doc.begun, [1, 4], 'one write, of the newest value');
    await doc.finish();
    assert.deepEqual(doc.begun, [1, 4], 'the write of the newest value carried all three: no write after it');
    await Promise.all(later);
    assert.deepEqual(resolved, [1, 2, 3, 4]);
    assert.deepEqual(doc.durable, [1, 4]);
    await doc.writer.settled();
  });

  it('a change made after the carrying write began waits for a write of its own', { timeout: 5_000 }, async () => {
    const doc = document();
    void doc.set(1);
    await doc.turn();
    void doc.set(2);
    await doc.finish();
    assert.deepEqual(doc.begun, [1, 2], 'write 1 done, write 2 (carrying value 2) begun');
    let thirdDurable = false;
    const third = doc.set(3).then(() => {
      thirdDurable = true;
    });
    await doc.finish();
    assert.equal(thirdDurable, false, 'write 2 began before value 3 existed');
    assert.deepEqual(doc.begun, [1, 2, 3]);
    await doc.finish();
    await third;
    assert.deepEqual(doc.durable, [1, 2, 3]);
  });

  it('a failed write rejects the requests it carried and every later one, and settled() with them', { timeout: 5_000 }, async () => {
    const doc = document();
    void doc.set(1);
    await doc.turn();
    const carried = assert.rejects(doc.set(2), /disk full/);
    await doc.finish();
    await doc.finish(new Error('disk full'));
    await carried;
    await assert.rejects(doc.set(3), /disk full/);
    await assert.rejects(doc.writer.settled(), /disk full/);
    assert.deepEqual(doc.begun, [1, 2], 'nothing is written after a failure');
  });
});
