/** `kernelctl --help` and `kernelctl <command> --help`. */
import { REHEARSAL_STATE_DIR_DEFAULT, REHEARSAL_TASK_QUEUE } from '../shared/rehearsal-types';

export const HELP: Record<string, string> = {
  main: `kernelctl — reversible Linux kernel upgrades over SSH, orchestrated by Temporal

Usage: kernelctl <command> [options]

Commands:
  upgrade <host> --to <release>   start a durable upgrade of one host (see kernelctl upgrade --help)
  plan <host> --to <release>      preflight only: what would happen, nothing is changed
  build --build-host H --source S --config C
                                  compile a kernel on a build host, once (see kernelctl build --help)
  status <host>                   phase, outcome and timeline of the host's upgrade
  watch <host>                    live progress until the upgrade ends
  approve <host>                  let an upgrade waiting for approval reboot
  abort <host> --reason TEXT      stop: undo staging before the reboot, roll back after it
                                  (refused once the new kernel is being committed)
  resolve <host> --retry|--mark-fixed|--give-up
                                  answer an upgrade that needs attention
  rollout --inventory FILE --to <release>
                                  fleet rollout: canary, batches, failure budget, windows
  rollout plan|watch|status|pause|resume|approve|abort|skip|add …
                                  see kernelctl rollout --help
  watch --rollout ID              live multi-host view of a rollout
  worker                          run a worker (workflows + activities) on the task queue
  dev                             embedded Temporal dev server (SQLite in the state dir) + worker

Temporal connection (as the temporal CLI finds it: the profile, then TEMPORAL_* variables, then flags):
  --profile NAME        profile of the Temporal config file (env TEMPORAL_PROFILE, default default)
  --config-file PATH    the Temporal config file (env TEMPORAL_CONFIG_FILE,
                        default ~/.config/temporalio/temporal.toml); a profile sets address,
                        namespace, api_key, and [profile.NAME.tls] server_ca_cert_path,
                        server_name, client_cert_path, client_key_path (or *_data)
  --address HOST:PORT   Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233)
  --namespace NAME      Temporal namespace (env TEMPORAL_NAMESPACE, default default)
  Also TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME,
  TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH. Keys and certificates are read
  from files or the environment, and never printed, logged or put into a workflow.
Global options:
  --task-queue NAME     task queue (env KERNEL_ROLLOUT_TASK_QUEUE, default kernel-rollout)
  --json                machine-readable output (read commands)
  -h, --help            this help

Exit codes:
  0 ok / upgraded   1 error   2 bad input (nothing started)   3 rolled-back
  4 needs-attention   5 aborted   6 refused by preflight   7 Temporal unreachable
  8 no such upgrade or rollout   9 rollout halted (failure budget exceeded)
  10 permission denied by the Temporal server (this identity lacks the role)`,
  upgrade: `Usage: kernelctl upgrade <host> --to <release> [options]

Upgrades one host: preflight → pin the running kernel as GRUB's saved default → install →
stage a one-shot trial (panic=N, revert timer) → [approval] → reboot or kexec → await →
verify (uname -r, boot id, health, stability window) → commit, or roll back.

Kernel:
  --to RELEASE               kernel release to run afterwards, as uname -r prints it (required)
  --package NAME             apt package to install (default linux-image-<release>)
  --deb FILE                 upload this .deb (sha256 checked) and dpkg -i it
  --artifact-host [USER@]HOST[:PORT]
                             with --deb: put the file on this SSH host first (sha256 checked;
                             --artifact-dir, default /var/cache/kernel-rollout/artifacts), and let
                             the worker that installs fetch it from there (workers on other machines)
  --build ID                 the package a kernelctl build made (fetched from the build host,
                             sha256 checked end to end); --to defaults to its release
  --rehearse-in-vm           first the same upgrade on a throwaway VM (a worker started with
                             --rehearsal-image runs it); only if it ends upgraded is the host
                             touched, else the run ends refused (needs --build or --artifact-host)
  --kexec                    boot the trial with kexec (skips firmware POST)
  --approve-before-reboot    stop after staging until 'kernelctl approve'
  --wait                     wait for the outcome and exit with its code
Trial safety:
  --panic N                  panic=N on the trial boot (default 10)
  --revert-after N           host-side revert timer, seconds after boot (default 600)
  --stability N              seconds the new kernel must stay up before commit (default 60)
  --boot-deadline N          seconds for the host to come back (default 600)
  --trial-arg ARG            extra kernel argument for the trial boot only (repeatable)
  --health-cmd CMD           health check: command must exit 0 (repeatable)
  --health-unit UNIT         health check: systemd unit must be active (repeatable)
  --health-url URL           health check: GET from the worker must answer 200 (repeatable)
                             Always checked first, with or without these: systemctl
                             is-system-running must say running (degraded allowed)
  --remove-failed-kernel     remove the kernel package after a failed trial
Power (for a host that never comes back):
  --power none|command|qmp   out-of-band power driver (default none)
  --power-command ARG        program and arguments, one flag per argument ({host} is replaced);
                             no password or token in them (refused: the input is kept in history)
  --power-credentials-env NAME
                             a variable of the worker's environment the command gets, e.g.
                             IPMI_PASSWORD with --power-command=-E (repeatable; names only)
  --qmp-socket PATH          QMP socket of a qemu/libvirt guest
SSH (paths on the worker; secrets never enter Temporal):
  --user NAME  --port N  -i, --identity KEYFILE  --agent SOCKET
  --ssh-address ADDR         connect here instead of <host>
  --known-hosts FILE         (default ~/.ssh/known_hosts)
  --host-key-sha256 SHA256:…  pin the host key instead of known_hosts
  --trust-on-first-use       record an unknown host key (a changed key is always refused)
  --jump [USER@]HOST[:PORT]  reach the host through this bastion (ProxyJump; repeat for a chain,
                             first hop first); its key is checked in the same known_hosts`,
  plan: `Usage: kernelctl plan <host> --to <release> [--package NAME | --deb FILE] [--kexec] [SSH options] [--json]

Runs the preflight on a worker and prints what an upgrade would do, what it would fix
(GRUB_DEFAULT=saved, …) and what it refuses. Changes nothing. Exit 6 when it would refuse, or
when preflight cannot read the host (an unknown host key, refused credentials): the reason and
its fix are printed as 'kernelctl upgrade' words them.`,
  status: 'Usage: kernelctl status <host> [--json]',
  watch: `Usage: kernelctl watch <host> [--json]   (prints the timeline as it grows; exits with the outcome code)
       kernelctl watch --rollout ID [--json]
         a progress bar per batch and a line per in-flight host, redrawn in place on a terminal;
         one line per change when stdout is not a terminal; exits with the rollout's code`,
  approve: 'Usage: kernelctl approve <host> [--by NAME] [--comment TEXT]',
  abort: 'Usage: kernelctl abort <host> --reason TEXT [--by NAME]',
  resolve: 'Usage: kernelctl resolve <host> --retry | --mark-fixed | --give-up [--by NAME] [--comment TEXT]',
  worker: `Usage: kernelctl worker [--address HOST:PORT] [--namespace NAME] [--task-queue NAME]
                       [--metrics-address HOST:PORT]
                       [--max-concurrent-activities N] [--max-concurrent-workflow-tasks N]
                       [--max-cached-workflows N]
                       [--rehearsal-image DIR [--rehearsal-dir DIR] [--rehearsal-memory MiB]
                        [--rehearsal-cpus N] [--rehearsal-boot-timeout SECONDS]]

Runs the workflows and activities of the task queue until SIGINT/SIGTERM.

--max-concurrent-activities N (default 100) bounds the activities this worker runs at once: each
host in flight holds at most one. --max-concurrent-workflow-tasks N (default 40, at least 2)
bounds its workflow tasks. --max-cached-workflows N (at least 2; the SDK sizes it from the heap
limit otherwise) bounds the runs it keeps in memory between their tasks; a run evicted is replayed
from its history on its next task. More workers on the same task queue share the work.

Memory: the workflow bundle is built in a child process that exits. Start the worker with
MALLOC_ARENA_MAX=2 (the image and deploy/single-machine/run-worker.sh do; it says so at start
when unset): glibc otherwise keeps up to 8 malloc arenas a core, and the resident set grows.

With --metrics-address, serves Prometheus metrics on http://HOST:PORT/metrics: the Temporal
SDK's own and kernel-rollout's (kernel_rollout_upgrades_started_total,
kernel_rollout_upgrades_ended_total{outcome}, kernel_rollout_phase_seconds{phase},
kernel_rollout_rollouts_ended_total{outcome}, kernel_rollout_hosts_needs_attention,
kernel_rollout_hosts_in_flight{phase}, kernel_rollout_hosts_oldest_phase_age_seconds{phase},
kernel_rollout_rollouts{phase}, kernel_rollout_rollouts_no_progress_seconds{phase});
docs/operations.md lists them; deploy/prometheus/kernel-rollout-rules.yml has the alert rules.

With --rehearsal-image, the worker also runs VM rehearsals (--rehearse-in-vm) and serves the
task queue ${REHEARSAL_TASK_QUEUE} unless --task-queue says otherwise. It needs qemu-system-x86_64
and qemu-img. DIR holds base.qcow2 (a disk that boots by itself through its own bootloader),
id_ed25519 (a key root accepts) and ssh_host_ed25519_key.pub: the testbed image's layout
(testbed/build-image.sh), or your own image in the same layout.
  --rehearsal-dir DIR            one directory per rehearsal VM (default ${REHEARSAL_STATE_DIR_DEFAULT})
  --rehearsal-memory MiB         guest memory (default 1536)
  --rehearsal-cpus N             guest vCPUs (default 1)
  --rehearsal-boot-timeout S     qemu start to SSH (default 900)`,
  dev: `Usage: kernelctl dev [--state-dir DIR] [--port 7233] [--ui-port 8233]

Starts the Temporal CLI's dev server with its SQLite file in the state dir
($XDG_STATE_HOME/kernel-rollout, else ~/.local/state/kernel-rollout), waits until it answers,
runs a worker beside it and prints the web UI address. Ctrl-C stops both; the state stays.`,
};
