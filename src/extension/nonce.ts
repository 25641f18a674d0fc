import { randomBytes } from 'node:crypto';

/** A nonce for the webview's Content-Security-Policy: 128 bits from the operating system's generator. */
export function createNonce(): string {
  return randomBytes(16).toString('base64url');
}
