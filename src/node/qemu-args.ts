/**
 * The qemu command line of a Debian test or rehearsal VM, shared by the testbed and the rehearsal
 * worker: TCG, a virtio disk that boots through its own bootloader, SSH forwarded to a loopback
 * port, the serial console appended to a file, and QMP sockets.
 *
 * -no-reboot: a guest reboot (or a QMP system_reset) ends qemu, and whoever supervises it starts
 * a fresh one on the same disk, ports and sockets — a cold boot, as firmware does it. A warm reset
 * inside one TCG process took 85-840 s to get from GRUB to the kernel here, a fresh process seconds.
 */
export interface QemuVm {
  name: string;
  memoryMiB: number;
  cpus: number;
  diskPath: string;
  sshPort: number;
  serialLogPath: string;
  qmpSockets: readonly string[];
}

export function qemuArgs(vm: QemuVm): string[] {
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
