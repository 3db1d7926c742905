"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readKnownHostsFile = exports.knownKeyTypesForHost = exports.entryMatchesHost = exports.matchHostPatternList = exports.matchPattern = exports.hashKnownHostsName = exports.knownHostsName = exports.keyTypeFromBlob = exports.normalizeFingerprint = exports.fingerprintSha256 = exports.appendKnownHost = exports.checkHostKeyFile = exports.checkHostKeyDetailed = exports.checkHostKey = exports.parseKnownHosts = exports.describeFailurePoint = exports.describeHop = exports.describeEndpoint = exports.NON_RETRYABLE_SSH_ERRORS = exports.DownloadChecksumError = exports.UploadChecksumError = exports.CommandFailedError = exports.CommandTimeoutError = exports.ForwardingRefusedError = exports.ConnectFailedError = exports.AuthFailedError = exports.UnknownHostKeyError = exports.HostKeyMismatchError = exports.SshError = exports.EXEC_OUTPUT_CAP_BYTES = exports.defaultKnownHostsPath = exports.withSsh = exports.SshSession = void 0;
/**
 * SSH transport: public API (connection.ts: the session, host-key verification against
 * known_hosts, jump hosts; errors.ts: typed errors). Beside it: connect.ts opens a session to a
 * target as a workflow input names it, and session-pool.ts keeps a host's connection between its
 * consecutive activities.
 */
var connection_1 = require("./connection");
Object.defineProperty(exports, "SshSession", { enumerable: true, get: function () { return connection_1.SshSession; } });
Object.defineProperty(exports, "withSsh", { enumerable: true, get: function () { return connection_1.withSsh; } });
Object.defineProperty(exports, "defaultKnownHostsPath", { enumerable: true, get: function () { return connection_1.defaultKnownHostsPath; } });
Object.defineProperty(exports, "EXEC_OUTPUT_CAP_BYTES", { enumerable: true, get: function () { return connection_1.EXEC_OUTPUT_CAP_BYTES; } });
var errors_1 = require("./errors");
Object.defineProperty(exports, "SshError", { enumerable: true, get: function () { return errors_1.SshError; } });
Object.defineProperty(exports, "HostKeyMismatchError", { enumerable: true, get: function () { return errors_1.HostKeyMismatchError; } });
Object.defineProperty(exports, "UnknownHostKeyError", { enumerable: true, get: function () { return errors_1.UnknownHostKeyError; } });
Object.defineProperty(exports, "AuthFailedError", { enumerable: true, get: function () { return errors_1.AuthFailedError; } });
Object.defineProperty(exports, "ConnectFailedError", { enumerable: true, get: function () { return errors_1.ConnectFailedError; } });
Object.defineProperty(exports, "ForwardingRefusedError", { enumerable: true, get: function () { return errors_1.ForwardingRefusedError; } });
Object.defineProperty(exports, "CommandTimeoutError", { enumerable: true, get: function () { return errors_1.CommandTimeoutError; } });
Object.defineProperty(exports, "CommandFailedError", { enumerable: true, get: function () { return errors_1.CommandFailedError; } });
Object.defineProperty(exports, "UploadChecksumError", { enumerable: true, get: function () { return errors_1.UploadChecksumError; } });
Object.defineProperty(exports, "DownloadChecksumError", { enumerable: true, get: function () { return errors_1.DownloadChecksumError; } });
Object.defineProperty(exports, "NON_RETRYABLE_SSH_ERRORS", { enumerable: true, get: function () { return errors_1.NON_RETRYABLE_SSH_ERRORS; } });
Object.defineProperty(exports, "describeEndpoint", { enumerable: true, get: function () { return errors_1.describeEndpoint; } });
Object.defineProperty(exports, "describeHop", { enumerable: true, get: function () { return errors_1.describeHop; } });
Object.defineProperty(exports, "describeFailurePoint", { enumerable: true, get: function () { return errors_1.describeFailurePoint; } });
var known_hosts_1 = require("./known-hosts");
Object.defineProperty(exports, "parseKnownHosts", { enumerable: true, get: function () { return known_hosts_1.parseKnownHosts; } });
Object.defineProperty(exports, "checkHostKey", { enumerable: true, get: function () { return known_hosts_1.checkHostKey; } });
Object.defineProperty(exports, "checkHostKeyDetailed", { enumerable: true, get: function () { return known_hosts_1.checkHostKeyDetailed; } });
Object.defineProperty(exports, "checkHostKeyFile", { enumerable: true, get: function () { return known_hosts_1.checkHostKeyFile; } });
Object.defineProperty(exports, "appendKnownHost", { enumerable: true, get: function () { return known_hosts_1.appendKnownHost; } });
Object.defineProperty(exports, "fingerprintSha256", { enumerable: true, get: function () { return known_hosts_1.fingerprintSha256; } });
Object.defineProperty(exports, "normalizeFingerprint", { enumerable: true, get: function () { return known_hosts_1.normalizeFingerprint; } });
Object.defineProperty(exports, "keyTypeFromBlob", { enumerable: true, get: function () { return known_hosts_1.keyTypeFromBlob; } });
Object.defineProperty(exports, "knownHostsName", { enumerable: true, get: function () { return known_hosts_1.knownHostsName; } });
Object.defineProperty(exports, "hashKnownHostsName", { enumerable: true, get: function () { return known_hosts_1.hashKnownHostsName; } });
Object.defineProperty(exports, "matchPattern", { enumerable: true, get: function () { return known_hosts_1.matchPattern; } });
Object.defineProperty(exports, "matchHostPatternList", { enumerable: true, get: function () { return known_hosts_1.matchHostPatternList; } });
Object.defineProperty(exports, "entryMatchesHost", { enumerable: true, get: function () { return known_hosts_1.entryMatchesHost; } });
Object.defineProperty(exports, "knownKeyTypesForHost", { enumerable: true, get: function () { return known_hosts_1.knownKeyTypesForHost; } });
Object.defineProperty(exports, "readKnownHostsFile", { enumerable: true, get: function () { return known_hosts_1.readKnownHostsFile; } });
//# sourceMappingURL=index.js.map