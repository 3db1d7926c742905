"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.commandPower = void 0;
exports.commandEnvironment = commandEnvironment;
exports.commandPowerDriver = commandPowerDriver;
/**
 * `command` power driver: runs an operator-supplied program on the worker (ipmitool, a cloud
 * CLI, a PDU script). argv is executed without a shell; the host's name is passed in the
 * environment as KERNEL_ROLLOUT_HOST and `{host}` in an argument is replaced by it.
 *
 * Credentials never travel in argv (it is part of the workflow input, kept in history): an argv
 * that carries one is refused (src/shared/power-credentials.ts says which). They come from the
 * worker: a file (`ipmitool -f FILE`), or variables of the worker's environment that the input
 * names in `credentialsEnv` (`ipmitool -E` reads IPMI_PASSWORD). The program gets the worker's
 * environment without the variables whose names look like credentials (…PASSWORD, …TOKEN,
 * …SECRET, …API_KEY, TEMPORAL_TLS_*_DATA, …), except those `credentialsEnv` names.
 */
const node_child_process_1 = require("node:child_process");
const power_credentials_1 = require("../../shared/power-credentials");
const power_1 = require("../../shared/options/power");
const kind = 'command';
/**
 * The program's environment: the worker's, without what looks like a credential unless named in
 * `credentialsEnv`; every named variable must be set (its name is said, never its value).
 */
function commandEnvironment(workerEnv, credentialsEnv, host) {
    const missing = credentialsEnv.filter((name) => !workerEnv[name]);
    if (missing.length) {
        throw new Error(`power.credentialsEnv: not set in the worker's environment: ${missing.join(', ')}`);
    }
    const env = {};
    for (const [name, value] of Object.entries(workerEnv)) {
        if (!power_credentials_1.CREDENTIAL_ENV_RE.test(name) || credentialsEnv.includes(name))
            env[name] = value;
    }
    return { ...env, KERNEL_ROLLOUT_HOST: host };
}
function commandPowerDriver(argv, timeoutSeconds, credentialsEnv = []) {
    if (argv.length === 0 || !argv[0])
        throw new Error('power.argv: give the program and its arguments');
    // The schema refuses it already; a driver built another way refuses it too.
    const credential = (0, power_credentials_1.credentialInArgv)(argv);
    if (credential)
        throw new Error(`power.argv.${credential.index}: ${(0, power_credentials_1.credentialMessage)(credential)}`);
    return {
        name: kind,
        powerCycle: (host) => new Promise((resolve, reject) => {
            const args = argv.map((a) => a.split('{host}').join(host));
            const child = (0, node_child_process_1.spawn)(args[0], args.slice(1), {
                env: commandEnvironment(process.env, credentialsEnv, host),
                stdio: ['ignore', 'pipe', 'pipe'],
                timeout: timeoutSeconds * 1000,
                killSignal: 'SIGKILL',
            });
            let output = '';
            const keep = (b) => {
                output = (output + b.toString()).slice(-2000);
            };
            child.stdout.on('data', keep);
            child.stderr.on('data', keep);
            child.on('error', (err) => reject(new Error(`${host}: power command ${args[0]} could not start: ${err.message}`)));
            child.on('close', (code, signal) => {
                if (code === 0) {
                    resolve({
                        performed: true,
                        message: `${host}: power command ${args[0]} succeeded ${output.trim()}`.trim(),
                    });
                }
                else {
                    reject(new Error(`${host}: power command ${args[0]} failed (${signal ? `signal ${signal}, timeout ${timeoutSeconds}s?` : `exit ${code}`}): ${output.trim()}`));
                }
            });
        }),
    };
}
exports.commandPower = {
    kind,
    schema: power_1.commandPowerSchema,
    create: (config) => commandPowerDriver(config.argv, config.timeoutSeconds, config.credentialsEnv ?? []),
};
//# sourceMappingURL=command.js.map