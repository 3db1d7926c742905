import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { BootloaderChangedError } from '../bootloader/bootloader';
import { combinedSteps, inPart, type SingleSteps } from './combined';

describe('inPart: a failed part of a combined activity', () => {
  test('keeps the type and retryability of an ApplicationFailure and names the part', () => {
    const err = inPart('stage', ApplicationFailure.nonRetryable('grub changed', 'BootloaderChangedError'));
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.message, 'stage: grub changed');
    assert.equal(err.type, 'BootloaderChangedError');
    assert.equal(err.nonRetryable, true);
    assert.deepEqual(err.details, [{ part: 'stage' }]);
  });

  test('types a plain error by its name, as the SDK would, and leaves it retryable', () => {
    const err = inPart('install', new BootloaderChangedError('host shows systemd-boot'));
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, 'BootloaderChangedError');
    assert.equal(err.nonRetryable, false, 'the retry policy decides by type');
    assert.match(err.message, /^install: host shows systemd-boot/);
  });

  test('keeps what the part put in its own details', () => {
    const inner = ApplicationFailure.create({ message: 'x', type: 'T', details: [{ earlierAttemptRan: true }] });
    const err = inPart('commit', inner) as ApplicationFailure;
    assert.deepEqual(err.details, [{ part: 'commit', earlierAttemptRan: true }]);
  });

  test('leaves a cancellation as it is', () => {
    const cancelled = new CancelledFailure('activity cancelled');
    assert.equal(inPart('install', cancelled), cancelled);
  });
});

/** Single steps that record their order and fail where told. */
function recordingSteps(log: string[], opts: { failAt?: string } = {}): SingleSteps {
  const stepFn =
    <R>(name: string, result: R) =>
    async () => {
      log.push(name);
      if (opts.failAt === name) throw new Error(`${name} broke`);
      return result;
    };
  return {
    pinKnownGood: stepFn('pin', { knownGoodEntry: 'e', fixedGrubDefault: false, backupPath: null }),
    installKernel: stepFn('install', { alreadyInstalled: false, packageName: 'p', seconds: 1 }),
    stageTrialBoot: stepFn('stage', { knownGoodEntry: 'e', trialEntry: 't' }),
  };
}

const target = { host: 'h' } as never;

describe('combinedSteps', () => {
  const prepare = { target, knownGoodRelease: 'a', toRelease: 'b', source: { kind: 'apt' } } as never;

  test('prepareTrialBoot runs pin, install, stage in order and stops at the first failure', async () => {
    const log: string[] = [];
    await combinedSteps(recordingSteps(log)).prepareTrialBoot(prepare);
    assert.deepEqual(log, ['pin', 'install', 'stage']);
    const failed: string[] = [];
    await assert.rejects(combinedSteps(recordingSteps(failed, { failAt: 'install' })).prepareTrialBoot(prepare), {
      message: 'install: install broke',
    });
    assert.deepEqual(failed, ['pin', 'install'], 'nothing staged after a failed install');
  });
});
