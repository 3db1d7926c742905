"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.qemuArgs = qemuArgs;
function qemuArgs(vm) {
    return [
        '-name',
        vm.name,
        '-accel',
        'tcg',
        '-machine',
        'pc',
        '-m',
        String(vm.memoryMiB),
        '-smp',
        String(vm.cpus),
        '-display',
        'none',
        '-monitor',
        'none',
        '-no-reboot',
        '-drive',
        `file=${vm.diskPath},format=qcow2,if=virtio`,
        '-netdev',
        `user,id=n0,hostfwd=tcp:127.0.0.1:${vm.sshPort}-:22`,
        '-device',
        'virtio-net-pci,netdev=n0',
        '-chardev',
        `file,id=ser0,path=${vm.serialLogPath},append=on`,
        '-serial',
        'chardev:ser0',
        ...vm.qmpSockets.flatMap((socket) => ['-qmp', `unix:${socket},server=on,wait=off`]),
    ];
}
//# sourceMappingURL=qemu-args.js.map