/** The package-manager registry: a request's package manager by name, never a default. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from '../../shared/schemas';
import { packageManagerFor } from './package-manager';

describe('package-manager registry', () => {
  test('a request names its package manager; without one it is refused naming the field, not defaulted', () => {
    assert.equal(packageManagerFor('dpkg').kind, 'dpkg');
    for (const missing of [undefined, '']) {
      assert.throws(
        () => packageManagerFor(missing),
        (err: Error) =>
          err instanceof InvalidInputError &&
          /^packageManager: missing; the request must name the package manager preflight used \(dpkg\)$/.test(
            err.message,
          ),
      );
    }
  });

  test('an unknown one is refused naming the field and the ones there are', () => {
    assert.throws(
      () => packageManagerFor('rpm'),
      (err: Error) =>
        err instanceof InvalidInputError &&
        err.message === 'packageManager: rpm is not a package manager kernel-rollout drives (dpkg)',
    );
  });
});
