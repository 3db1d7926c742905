"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.plan = void 0;
exports.formatPlan = formatPlan;
/** `kernelctl plan <host> --to R`: preflight only, what would happen and what would be refused. */
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const common_2 = require("../common");
const schemas_1 = require("../../shared/schemas");
const failure_1 = require("../../workflows/failure");
const command_1 = require("./command");
const upgrade_input_1 = require("./upgrade-input");
function formatPlan(f, to) {
    const lines = [
        `${f.host}: ${f.distroId} ${f.distroVersion}, running ${f.runningKernel}, boot id ${f.bootId}`,
        `  bootloader ${f.bootloader.label ?? f.bootloader.kind ?? '(none found)'}${f.bootloader.summary.length ? `: ${f.bootloader.summary.join('; ')}` : ''}`,
        `  installed kernels: ${f.installedKernels.join(', ') || '(none found)'}; /boot free ${Math.round(f.bootFreeBytes / 1048576)} MiB; kexec ${f.kexecAvailable ? 'available' : 'missing'}`,
    ];
    if (f.refusals.length)
        lines.push('REFUSED:', ...f.refusals.map((r) => `  - ${r}`));
    else if (f.runningKernel === to) {
        lines.push(`Would: verify ${to}, which already runs (uname -r, boot id, health checks, the stability window), then make it the saved default; no install, no reboot.`);
    }
    else {
        lines.push(`Would: pin ${f.runningKernel} as the saved default, install ${to}, stage a one-shot trial with panic=N and the revert timer, reboot, verify, commit.`);
    }
    if (f.fixes.length)
        lines.push('Would fix:', ...f.fixes.map((x) => `  - ${x}`));
    if (f.warnings.length)
        lines.push('Warnings:', ...f.warnings.map((x) => `  - ${x}`));
    return lines.join('\n');
}
async function planCommand({ v, host, json, clientOpts }) {
    const release = v['to'] ?? '';
    const input = (0, schemas_1.parseOrThrow)(schemas_1.preflightInputSchema, {
        target: await (0, upgrade_input_1.buildTarget)(host, v),
        toRelease: release,
        source: await (0, upgrade_input_1.buildSource)(release, v),
        useKexec: v['kexec'] === true,
    });
    return (0, common_2.withClient)(clientOpts, async (c) => {
        let facts;
        try {
            facts = await c.plan(input);
        }
        catch (err) {
            // Preflight could not read the host (an unknown host key, refused credentials, …):
            // refused, in the very words `upgrade` uses for the same failure.
            if (!(err instanceof client_1.WorkflowFailedError && err.cause instanceof common_1.ActivityFailure))
                throw err;
            const { host: name } = input.target;
            const reason = (0, failure_1.preflightFailedReason)(name, err.cause);
            (0, common_2.out)(json, { host: name, outcome: 'refused', reason }, `${name}: refused — ${reason}`);
            return common_2.EXIT.refused;
        }
        (0, common_2.out)(json, facts, formatPlan(facts, input.toRelease));
        return facts.refusals.length ? common_2.EXIT.refused : common_2.EXIT.ok;
    });
}
exports.plan = { options: upgrade_input_1.TARGET_OPTIONS, needsHost: command_1.ONE_HOST, run: planCommand };
//# sourceMappingURL=plan.js.map