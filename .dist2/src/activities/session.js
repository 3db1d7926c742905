"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.realDeps = void 0;
exports.asFailure = asFailure;
exports.hostAccess = hostAccess;
/**
 * What every activity shares: the SSH session it runs commands in, the connection to the host
 * (opened for one activity, or kept a few seconds for the next: ssh/session-pool.ts), and the translation of thrown errors into failures
 * whose type says whether Temporal should retry.
 */
const activity_1 = require("@temporalio/activity");
const types_1 = require("../shared/types");
const schemas_1 = require("../shared/schemas");
const answers_1 = require("./ssh/answers");
const connect_1 = require("./ssh/connect");
exports.realDeps = { connect: connect_1.connectTo, sshAnswers: answers_1.sshServerAnswers };
/** Turns thrown errors into ApplicationFailures whose type and retryability are explicit. */
function asFailure(err) {
    if (err instanceof activity_1.ApplicationFailure)
        return err;
    const e = err instanceof Error ? err : new Error(String(err));
    const type = e.name && e.name !== 'Error' ? e.name : 'HostCommandError';
    const nonRetryable = types_1.NON_RETRYABLE_ERRORS.includes(type);
    return activity_1.ApplicationFailure.create({ message: e.message, type, nonRetryable, cause: e });
}
function hostAccess(deps, pool) {
    return async (targetInput, fn, opts) => {
        const target = (0, schemas_1.parseOrThrow)(schemas_1.sshTargetSchema, targetInput, 'target');
        let session;
        let keep = false;
        try {
            session = pool?.take(target) ?? (await deps.connect(target));
            const out = await fn(session);
            keep = pool !== undefined && opts?.keep !== false;
            return out;
        }
        catch (err) {
            throw asFailure(err);
        }
        finally {
            if (session && keep)
                pool?.give(target, session);
            else
                session?.close();
        }
    };
}
//# sourceMappingURL=session.js.map