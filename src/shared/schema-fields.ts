/**
 * Field schemas shared by ./schemas.ts and the driver modules (power drivers, health checks).
 * Not in ./schemas.ts because that file builds its unions from the driver registries: a driver
 * importing it back would see it half-initialised.
 */
import { z } from 'zod';
import { SAFE_ABSOLUTE_PATH_RE } from './shell';

export const safePathSchema = z
  .string()
  .regex(SAFE_ABSOLUTE_PATH_RE, 'must be an absolute path of letters, digits and ._+@/- (no ..)');
