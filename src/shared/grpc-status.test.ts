import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permissionDenied } from './grpc-status';

test('permissionDenied: code 7 or its message anywhere in the cause chain, nothing else', () => {
  assert.equal(permissionDenied({ code: 7, message: 'Request unauthorized.' }), true);
  assert.equal(
    permissionDenied(new Error('x', { cause: new Error('7 PERMISSION_DENIED: Request unauthorized.') })),
    true,
  );
  assert.equal(permissionDenied(new Error('x', { cause: { code: 7 } })), true);
  assert.equal(permissionDenied({ code: 14, message: '14 UNAVAILABLE: gone' }), false);
  assert.equal(permissionDenied(new Error('permission denied by ssh')), false);
  assert.equal(permissionDenied(undefined), false);
});
