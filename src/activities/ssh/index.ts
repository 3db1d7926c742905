/**
 * SSH transport: public API (connection.ts: the session, host-key verification against
 * known_hosts, jump hosts; errors.ts: typed errors). Beside it: connect.ts opens a session to a
 * target as a workflow input names it, session-pool.ts keeps a host's connection between its
 * consecutive activities, answers.ts asks whether a returning host's SSH server answers, and
 * banner.ts gets a server's first bytes over whichever of a few fresh connections has them first.
 */
export {
  SshSession,
  withSsh,
  defaultKnownHostsPath,
  EXEC_OUTPUT_CAP_BYTES,
  type SshTarget,
  type SshJumpHost,
  type ExecResult,
  type ExecOptions,
  type UploadOptions,
  type UploadResult,
} from './connection';
export {
  SshError,
  HostKeyMismatchError,
  UnknownHostKeyError,
  AuthFailedError,
  ConnectFailedError,
  ForwardingRefusedError,
  CommandTimeoutError,
  CommandFailedError,
  UploadChecksumError,
  DownloadChecksumError,
  NON_RETRYABLE_SSH_ERRORS,
  describeEndpoint,
  describeHop,
  describeFailurePoint,
  type SshEndpoint,
  type SshHopEndpoint,
} from './errors';
export {
  parseKnownHosts,
  checkHostKey,
  checkHostKeyDetailed,
  checkHostKeyFile,
  appendKnownHost,
  fingerprintSha256,
  normalizeFingerprint,
  keyTypeFromBlob,
  knownHostsName,
  hashKnownHostsName,
  matchPattern,
  matchHostPatternList,
  entryMatchesHost,
  knownKeyTypesForHost,
  readKnownHostsFile,
  type HostKeyCheck,
  type HostKeyCheckDetail,
  type KnownHostEntry,
  type KnownHostMarker,
  type KnownHostsParseResult,
} from './known-hosts';
