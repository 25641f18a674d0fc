// The webview's CSP nonce comes from the operating system's generator, never Math.random.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNonce } from '../../src/extension/nonce.ts';

describe('createNonce', () => {
  it('draws 128 bits from crypto, not from Math.random', () => {
    const random = Math.random;
    Math.random = () => { throw new Error('Math.random was used'); };
    try {
      const nonces = new Set(Array.from({ length: 1000 }, createNonce));
      assert.equal(nonces.size, 1000);
      for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
    } finally {
      Math.random = random;
    }
  });
});
