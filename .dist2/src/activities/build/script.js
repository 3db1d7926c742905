"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.cancelCommand = exports.failureLogCommand = exports.statusCommand = exports.launchCommand = void 0;
exports.buildScript = buildScript;
/**
 * The build as it runs on the build host: a shell script in the build's directory, started
 * detached (its own session, `setsid`) under `flock build.lock`, so it outlives the SSH session and
 * the worker, and a second start while it runs does nothing. It appends to build.log, one line to
 * `launches` per make it starts, and when make ends writes result.json (on success) and then
 * exit-code, both before it lets go of the lock. runBuild (./run.ts) only starts, watches and
 * stops it.
 */
const shell_1 = require("../../shared/shell");
function buildScript(p) {
    const q = (v) => (0, shell_1.shellQuote)(v);
    const deb = `linux-image-${p.release}_`;
    return `#!/bin/sh
# kernel-rollout build: started by runBuild as
#   setsid -f flock -n build.lock sh build.sh
# Holds build.lock while it runs; writes result.json (on success) and exit-code before it ends.
cd ${q(p.dir)} || exit 1
cut -d' ' -f5 /proc/$$/stat > pgid
date -u +%s >> launches
rm -f exit-code cancelled
started=$(date +%s)
echo "kernel-rollout: make bindeb-pkg, launch $(wc -l < launches), $(date -u '+%Y-%m-%d %H:%M:%S') UTC" >> build.log
make -C ${q(p.tree)} O=${q(`${p.dir}/obj`)} -j${p.jobs} LOCALVERSION=${q(p.localVersion)} bindeb-pkg >> build.log 2>&1 < /dev/null
rc=$?
if [ "$rc" = 0 ]; then
  deb=$(ls -t ${q(deb)}*.deb 2>/dev/null | head -n 1)
  if [ -n "$deb" ]; then
    sum=$(sha256sum "$deb" | cut -c1-64)
    printf '{"deb":"%s","sha256":"%s","bytes":%s,"buildSeconds":%s,"launches":%s}\\n' \\
      "$PWD/$deb" "$sum" "$(stat -c %s "$deb")" "$(($(date +%s) - started))" "$(wc -l < launches)" > result.json.tmp &&
      mv result.json.tmp result.json
  else
    echo "kernel-rollout: make succeeded but left no ${deb}*.deb" >> build.log
    rc=97
  fi
fi
echo "kernel-rollout: make ended with $rc after $(($(date +%s) - started)) s" >> build.log
echo "$rc" > exit-code
`;
}
/** Starts the script detached; does nothing while another start holds the lock. */
const launchCommand = (dir) => `cd ${(0, shell_1.shellQuote)(dir)} && setsid -f flock -n build.lock sh build.sh < /dev/null > /dev/null 2>&1`;
exports.launchCommand = launchCommand;
/**
 * One round trip: whether the lock is held (read first: the script writes its result before it
 * lets go), the result or exit code, and progress from the log.
 */
const statusCommand = (dir) => `cd ${(0, shell_1.shellQuote)(dir)} || exit 3; ` +
    `if flock -n build.lock true; then echo STATE idle; else echo STATE busy; fi; ` +
    `if [ -f result.json ]; then printf 'RESULT '; cat result.json; fi; ` +
    `if [ -f exit-code ]; then echo "EXIT $(cat exit-code)"; fi; ` +
    `if [ -f cancelled ]; then echo CANCELLED; fi; ` +
    `echo "LAUNCHES $(cat launches 2>/dev/null | wc -l)"; ` +
    `echo "CC $(grep -c '^  CC' build.log 2>/dev/null)"; ` +
    `echo "PKG $(grep -c 'dpkg-deb: building' build.log 2>/dev/null)"; ` +
    `echo "STARTED $(head -n 1 launches 2>/dev/null)"; ` +
    `echo "NOW $(date -u +%s)"; ` +
    `echo "LAST $(grep -v '^kernel-rollout:' build.log 2>/dev/null | tail -n 1 | tr -cd '[:print:]' | cut -c1-200)"`;
exports.statusCommand = statusCommand;
/**
 * The last launch's log, without kbuild's quiet lines (`  CC      obj.o`): what causeLines
 * (./failure-lines.ts) picks a failure's cause from. Long lines are cut, the output bounded.
 */
const failureLogCommand = (dir) => `cd ${(0, shell_1.shellQuote)(dir)} && tac build.log | sed '/^kernel-rollout: make bindeb-pkg, launch/q' | tac | ` +
    `grep -vE '^  [A-Z][A-Z0-9_]{0,11}( \\[M\\])? +[^ ]' | tail -n 5000 | cut -c1-300`;
exports.failureLogCommand = failureLogCommand;
/** Stops a running build: its whole process group (flock, sh, make, the compilers). */
const cancelCommand = (dir) => `cd ${(0, shell_1.shellQuote)(dir)} || exit 0; touch cancelled; ` +
    `if ! flock -n build.lock true; then pg=$(cat pgid 2>/dev/null); ` +
    `[ -n "$pg" ] && kill -s TERM -- "-$pg" 2>/dev/null; ` +
    `for i in $(seq 1 60); do flock -n build.lock true && break; sleep 1; done; ` +
    `flock -n build.lock true || { kill -s KILL -- "-$pg" 2>/dev/null; sleep 1; }; fi; ` +
    `echo "kernel-rollout: cancelled $(date -u '+%Y-%m-%d %H:%M:%S') UTC" >> build.log`;
exports.cancelCommand = cancelCommand;
//# sourceMappingURL=script.js.map