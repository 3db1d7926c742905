/**
 * What the build workflow and its activities pass each other (plain types: the workflow bundle
 * imports these, never zod).
 */
import type { SshTargetInput } from './types';

/** A built kernel package on the build host. */
export interface BuiltDeb {
  path: string;
  sha256: string;
  bytes: number;
}

/** What a finished build left in its directory (result.json, written by the build itself). */
export interface BuildArtifacts {
  key: string;
  release: string;
  deb: BuiltDeb;
  /** The effective .config, kept in the build directory. */
  configPath: string;
  logPath: string;
  /** Wall time of the make that produced it. */
  buildSeconds: number;
  /** How many times make was started for this key (1 unless the build host lost the build). */
  launches: number;
}

/** prepareBuild's answer: the key, and the result if this key was built before. */
export interface BuildPlan {
  key: string;
  release: string;
  localVersion: string;
  buildRoot: string;
  buildDir: string;
  configSha256: string;
  configFrom: string;
  source: string;
  toolchain: string;
  jobs: number;
  cached?: BuildArtifacts;
}

/** The buildKernel workflow's result. */
export interface BuildResult extends BuildArtifacts {
  buildHost: string;
  /** How to reach the build host (paths to credentials, never a key): where installs fetch the package. */
  buildTarget: SshTargetInput;
  /** true: the key was built before; nothing was compiled this time. */
  cached: boolean;
  source: string;
  configFrom: string;
}

/** runBuild's heartbeat details: what `kernelctl build watch` and the web UI show. */
export interface BuildProgress {
  key: string;
  phase: 'starting' | 'compiling' | 'packaging' | 'done' | 'failed';
  /** Objects compiled so far (kbuild's CC lines). */
  compiled: number;
  /** Objects the same configuration compiled last time, if known; else undefined. */
  total?: number;
  elapsedSeconds: number;
  lastLine: string;
}

/** Failure types of the build activities that a retry cannot fix (src/activities/build/errors.ts). */
export const BUILD_NON_RETRYABLE_ERRORS = ['BuildHostNotReadyError', 'BuildConfigError', 'BuildFailedError'] as const;
