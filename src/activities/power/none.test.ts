import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { powerConfigSchema } from '../../shared/schemas';
import { createPowerDriver } from './driver';

describe('none power driver', () => {
  it('resets nothing and says that someone must', async () => {
    const result = await createPowerDriver(powerConfigSchema.parse({ driver: 'none' })).powerCycle('web-01');
    assert.deepEqual(result, {
      performed: false,
      message: 'web-01: no power driver configured (driver none); someone must reset it by hand',
    });
  });

  it('takes no fields', () => {
    const res = powerConfigSchema.safeParse({ driver: 'none', argv: ['/bin/true'] });
    assert.equal(res.success, false);
  });
});
