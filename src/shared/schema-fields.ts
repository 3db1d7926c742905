/**
 * zod schemas of single fields, shared by ./schemas.ts and the driver modules (installers, power
 * drivers, health checks). Not in ./schemas.ts because that file builds its unions from the driver
 * registries: a driver importing it back would see it half-initialised.
 */
import { z } from 'zod';
import { PACKAGE_NAME_RE, SAFE_ABSOLUTE_PATH_RE } from './shell';

export const safePathSchema = z
  .string()
  .regex(SAFE_ABSOLUTE_PATH_RE, 'must be an absolute path of letters, digits and ._+@/- (no ..)');
export const packageNameSchema = z.string().regex(PACKAGE_NAME_RE, 'must be a Debian package name');
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
