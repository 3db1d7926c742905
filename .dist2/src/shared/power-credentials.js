"use strict";
/**
 * No credential in a power command's argv: the argv is part of the workflow input, so it is kept
 * in Temporal's history, its database and the web UI. A credential comes from the worker instead:
 * a file on the worker (`ipmitool -f /etc/kernel-rollout/ipmi.pass`) or a variable of the worker's
 * environment named in `power.credentialsEnv` (`ipmitool -E` reads IPMI_PASSWORD). Pure (no zod):
 * the zod schema (src/activities/power/command.ts), the activities and the workflows' own input
 * check all use it. The rule, as docs/operations.md states it, refuses an argument that
 *  - is a password or token option: --password, --passwd, --pass, --token, --auth-token,
 *    --api-key, --apikey, --secret, --client-secret, --access-key, --secret-key, --bearer
 *    (alone or as --option=value);
 *  - holds `name=value` where the name says password, passwd, token, secret, api key, access key
 *    or credential (`password=…`, `?token=…`);
 *  - is an HTTP authorization header or bearer token (`Authorization: …`, `Bearer …`);
 *  - is a URL with a password (`https://user:pass@bmc/`);
 *  - after `ipmitool`: `-P` (password), `-k` and `-y` (Kg keys), also with the value attached;
 *    after `sshpass`: `-p`.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.CREDENTIAL_ENV_RE = exports.ENV_NAME_RE = void 0;
exports.credentialInArgv = credentialInArgv;
exports.credentialMessage = credentialMessage;
const SECRET_OPTIONS = new Set([
    '--password',
    '--passwd',
    '--pass',
    '--token',
    '--auth-token',
    '--api-key',
    '--apikey',
    '--secret',
    '--client-secret',
    '--access-key',
    '--secret-key',
    '--bearer',
]);
const SECRET_ASSIGNMENT = /(?<![A-Za-z])(pass(word|wd)?|token|secret|api[_-]?key|access[_-]?key|credentials?)=/i;
const AUTH_HEADER = /^\s*(proxy-)?authorization\s*:|\bbearer\s+\S/i;
const URL_PASSWORD = /:\/\/[^/\s:@]*:[^/\s@]+@/;
/** Per program (by the basename of an argument naming it): its own credential options. */
const PROGRAM_OPTIONS = {
    ipmitool: /^-[Pky]/,
    sshpass: /^-p/,
};
/** The first argument of `argv` that carries a credential, or null. */
function credentialInArgv(argv) {
    let program = null;
    for (let index = 0; index < argv.length; index++) {
        const arg = argv[index];
        if (typeof arg !== 'string')
            continue;
        const base = arg.slice(arg.lastIndexOf('/') + 1);
        if (base in PROGRAM_OPTIONS) {
            program = base;
            continue;
        }
        const option = arg.split('=')[0];
        if (SECRET_OPTIONS.has(option.toLowerCase()))
            return { index, reason: `the option ${option} passes a credential` };
        if (program !== null && PROGRAM_OPTIONS[program].test(arg)) {
            return { index, reason: `${program}'s ${arg.slice(0, 2)} passes a credential` };
        }
        if (SECRET_ASSIGNMENT.test(arg))
            return { index, reason: 'it assigns a password, token or key' };
        if (AUTH_HEADER.test(arg))
            return { index, reason: 'it is an authorization header or bearer token' };
        if (URL_PASSWORD.test(arg))
            return { index, reason: 'it is a URL with a password' };
    }
    return null;
}
/** The message for a credential at argv[index], naming the worker-side ways. */
function credentialMessage(c) {
    return (`must not carry a credential (${c.reason}): the input is kept in the workflow history; ` +
        "read it on the worker instead, from a file (ipmitool -f FILE) or from the worker's environment " +
        'named in power.credentialsEnv (ipmitool -E reads IPMI_PASSWORD)');
}
/** Names of worker environment variables a power command may be given (`credentialsEnv`). */
exports.ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** A variable name that looks like it holds a credential (kept from a power command unless named). */
exports.CREDENTIAL_ENV_RE = /PASS|TOKEN|SECRET|API_?KEY|ACCESS_?KEY|CREDENTIAL|PRIVATE_?KEY|_DATA$/i;
//# sourceMappingURL=power-credentials.js.map