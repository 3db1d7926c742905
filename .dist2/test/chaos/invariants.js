"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.defaultBoot = defaultBoot;
exports.menuAsBooted = menuAsBooted;
exports.revertTimerReboots = revertTimerReboots;
exports.revertTimerBeatConfirmation = revertTimerBeatConfirmation;
exports.checkHost = checkHost;
exports.rebootCountUnderReported = rebootCountUnderReported;
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const model_1 = require("../../sim/model");
/** What GRUB boots on the next power-on once no one-shot is pending (next_entry removed). */
function defaultBoot(grubenv, grubCfg) {
    const withoutOneShot = (0, model_1.formatGrubenvBlock)((0, model_1.parseGrubenvBlock)(grubenv).filter((v) => v.key !== 'next_entry'));
    const sel = (0, model_1.grubSelect)(withoutOneShot, grubCfg);
    const image = sel.entry?.linuxImage ?? null;
    return {
        release: image ? (0, model_1.releaseOfImage)(image) : null,
        entry: sel.entry?.idPath ?? null,
        args: sel.entry?.linuxArgs ?? '',
        reason: sel.reason,
    };
}
/** A host's /boot/grub (`dir`): grub.cfg with custom.cfg's entries where its 41_custom section sources them. */
function menuAsBooted(dir) {
    const custom = path.join(dir, 'custom.cfg');
    return (0, model_1.withCustomCfg)(fs.readFileSync(path.join(dir, 'grub.cfg'), 'utf8'), fs.existsSync(custom) ? fs.readFileSync(custom, 'utf8') : null);
}
/** Reboots the host's revert timer asked for (its service's ExecStart runs `systemctl reboot`). */
function revertTimerReboots(commands) {
    return commands.filter((c) => c.source === 'systemd' && /systemctl reboot/.test(c.command)).length;
}
/**
 * The revert timer fired in a trial boot in which nothing had confirmed the trial over SSH: the
 * host reverted by itself, as designed, before the orchestrator confirmed. (A confirmation that
 * did not stop the timer would show a confirm command before the firing, and does not count.)
 */
function revertTimerBeatConfirmation(e) {
    const firings = e.commands.filter((c) => c.source === 'systemd' && /systemctl reboot/.test(c.command));
    return firings.some((f) => {
        const trial = [...e.inspection.boots].reverse().find((b) => b.at <= f.at);
        if (!trial || !/(^|\s)kernel_rollout\.trial=/.test(trial.cmdline))
            return false;
        return !e.commands.some((c) => c.source === 'ssh' && c.at >= trial.at && c.at <= f.at && /\/run\/kernel-rollout\/confirmed/.test(c.command));
    });
}
function checkHost(e) {
    const def = defaultBoot(e.grubenv, e.grubCfg);
    const under = rebootCountUnderReported(e);
    const found = [
        ['saved-default', savedDefaultViolations(e, def)],
        ['reboots', rebootViolations(e)],
        ['next-entry', e.inspection.nextEntry !== null ? [`next_entry=${e.inspection.nextEntry} after the outcome`] : []],
        ['outcome', outcomeViolations(e, def)],
        ['one-run-at-a-time', overlappingRuns(e.workflow.runs)],
        // The results own up to every reboot the host had from the workflow.
        ['reboot-count', under ? [under] : []],
    ];
    return found.flatMap(([invariant, details]) => details.map((detail) => ({ host: e.host, invariant, detail })));
}
/** The release the host booted first: the one it had before the workflow. */
function originalRelease(e) {
    return e.inspection.boots[0]?.release ?? '(no initial boot)';
}
/** 1. GRUB boots an installed, non-trial kernel: the original, or one the workflow verified in a boot the host had. */
function savedDefaultViolations(e, def) {
    const insp = e.inspection;
    const wf = e.workflow;
    const original = originalRelease(e);
    if (def.release === null) {
        return [`GRUB would boot nothing (${def.reason}): the host would stop at the GRUB prompt`];
    }
    const out = [];
    const verifiedHere = (release) => wf.verified.some((v) => v.release === release &&
        insp.boots.some((b) => b.bootId === v.bootId && b.release === release && b.outcome === 'up'));
    if (def.reason === 'fallback-0') {
        out.push(`saved_entry ${insp.savedEntry ?? '(unset)'} is not in grub.cfg: GRUB falls back to entry 0 (${def.entry})`);
    }
    if (/(^|\s)kernel_rollout\.trial=/.test(def.args)) {
        out.push(`the default entry ${def.entry} is the trial entry (${def.args})`);
    }
    if (!insp.installedKernels.includes(def.release)) {
        out.push(`the default entry boots ${def.release}, which is not installed`);
    }
    if (def.release !== original && !verifiedHere(def.release)) {
        out.push(`the default boots ${def.release} (${def.entry}), neither the original ${original} nor a kernel the workflow ` +
            `verified in a boot the host had (verified: ${wf.verified.map((v) => `${v.release}@${v.bootId.slice(0, 8)}`).join(', ') || 'none'})`);
    }
    return out;
}
/** 2. Every reboot and reset the host had is one the workflow, the operator, a panic or the revert timer caused. */
function rebootViolations(e) {
    const insp = e.inspection;
    const wf = e.workflow;
    const out = [];
    const timerReboots = revertTimerReboots(e.commands);
    const sshReboots = insp.rebootsRequested - timerReboots;
    const panicReboots = insp.boots.filter((_, i) => i > 0 && insp.boots[i - 1]?.outcome === 'panic').length;
    const bootsAfterFirst = insp.bootCount - 1;
    if (sshReboots > wf.rebootDecisions) {
        out.push(`${sshReboots} reboot(s) requested over SSH, the workflow decided ${wf.rebootDecisions} (rebootHost scheduled)`);
    }
    if (insp.powerResets > wf.powerCycleDecisions + e.operatorResets) {
        out.push(`${insp.powerResets} power reset(s), the workflow decided ${wf.powerCycleDecisions} and the operator did ${e.operatorResets}`);
    }
    const accounted = wf.rebootDecisions + wf.powerCycleDecisions + e.operatorResets + panicReboots + timerReboots;
    if (bootsAfterFirst > accounted) {
        out.push(`${bootsAfterFirst} boot(s) after the first, only ${accounted} accounted for (workflow reboots ${wf.rebootDecisions}, ` +
            `power cycles ${wf.powerCycleDecisions}, operator resets ${e.operatorResets}, panic reboots ${panicReboots}, ` +
            `revert timer ${timerReboots})`);
    }
    return out;
}
/** 4. Each rollout reports what its fault calls for, and the host's default agrees with the final outcome. */
function outcomeViolations(e, def) {
    const insp = e.inspection;
    const wf = e.workflow;
    const original = originalRelease(e);
    const out = [];
    const timerWon = revertTimerBeatConfirmation(e);
    for (const p of e.participations) {
        // The host-side safety net doing its job is not a wrong outcome: the orchestrator (slowed
        // down by the chaos around it) had not confirmed the trial when the revert timer fired.
        if (p.expected === 'upgraded' && p.outcome === 'rolled-back' && timerWon)
            continue;
        if (p.outcome !== p.expected) {
            out.push(`rollout ${p.rolloutId} reports ${p.outcome ?? 'nothing'}, the fault calls for ${p.expected}`);
        }
    }
    const final = [...e.participations].reverse().find((p) => p.outcome !== 'busy')?.outcome ?? null;
    if (final === 'upgraded') {
        if (def.release !== e.target) {
            out.push(`reported upgraded, but the default boots ${def.release ?? 'nothing'}, not ${e.target}`);
        }
        const committed = wf.commits.some((c) => c.release === e.target && wf.verified.some((v) => v.release === c.release && v.bootId === c.bootId));
        if (!committed)
            out.push(`reported upgraded without a commit of ${e.target} in a verified boot`);
    }
    else if (final !== null && def.release !== null && def.release !== original) {
        out.push(`reported ${final}, but the default boots ${def.release}, not the original ${original}`);
    }
    if (final === 'refused') {
        if (insp.bootCount !== 1)
            out.push(`refused, yet the host booted ${insp.bootCount - 1} more time(s)`);
        if (insp.installedKernels.join(' ') !== original) {
            out.push(`refused, yet the installed kernels changed: ${insp.installedKernels.join(' ')}`);
        }
    }
    return out;
}
/** 5. No run started while another was still open. */
function overlappingRuns(runsAsRecorded) {
    const out = [];
    const runs = [...runsAsRecorded].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < runs.length; i++) {
        const prev = runs[i - 1];
        const cur = runs[i];
        if (prev.closedAt === null || prev.closedAt > cur.startedAt) {
            out.push(`run ${cur.runId} started while run ${prev.runId} was still open`);
        }
    }
    return out;
}
/**
 * Whether the runs' results claim fewer reboots (`rebootCount`) than the host had from the
 * workflow (reboots requested over SSH, power resets); null when they do not. (More is not a
 * violation: a power driver that acknowledges and does nothing is one of the faults.)
 */
function rebootCountUnderReported(e) {
    const claimed = e.workflow.runs.reduce((n, r) => n + (r.result?.rebootCount ?? 0), 0);
    const seen = e.inspection.rebootsRequested - revertTimerReboots(e.commands) + e.inspection.powerResets - e.operatorResets;
    return claimed >= seen ? null : `rebootCount ${claimed}, the host rebooted ${seen} time(s)`;
}
//# sourceMappingURL=invariants.js.map