"""Runs a command and reports the wall time and CPU seconds of its whole process tree as JSON.

    python3 rusage.py OUT.json COMMAND [ARG...]

The CPU of a process is added to its parent's RUSAGE_CHILDREN when the parent waits for it.
ansible-playbook's ssh ControlPersist masters detach from it, so they would be missed: this
process makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so orphaned descendants
are re-parented to it; when the command has exited it ends them (SIGTERM) and waits for them,
and RUSAGE_CHILDREN then holds every process the command started.
"""
import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def own_children():
    me = os.getpid()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == me:
            pids.append(int(entry))
    return pids


def main():
    out_path, argv = sys.argv[1], sys.argv[2:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")
    started = time.monotonic()
    code = subprocess.call(argv)
    wall = time.monotonic() - started
    leftovers = own_children()
    for pid in leftovers:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + 10
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            if time.monotonic() > deadline:
                for p in own_children():
                    os.kill(p, signal.SIGKILL)
            time.sleep(0.05)
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out_path, "w") as f:
        json.dump(
            {
                "exitCode": code,
                "wallSeconds": wall,
                "userSeconds": ru.ru_utime,
                "systemSeconds": ru.ru_stime,
                "maxRssKiB": ru.ru_maxrss,
                "orphansReaped": len(leftovers),
            },
            f,
        )
    sys.exit(code)


if __name__ == "__main__":
    main()
