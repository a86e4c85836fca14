import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { substituteAddress, substituteQuery } from '../../../../controller/edges/health/index.js';

describe('health check placeholders', () => {
  it('puts the address in a URL, bracketed for IPv6', () => {
    assert.equal(substituteAddress('http://{address}:8080/health', '127.4.5.6'), 'http://127.4.5.6:8080/health');
    assert.equal(substituteAddress('http://{address}/', '2001:db8::1'), 'http://[2001:db8::1]/');
  });

  it('puts host and address in a PromQL string with its escaping: a hostile name cannot close the string', () => {
    assert.equal(
      substituteQuery('up{instance="{address}:9100", host="{host}"}', 'we"b\\1', '10.0.0.1'),
      'up{instance="10.0.0.1:9100", host="we\\"b\\\\1"}',
    );
  });
});
