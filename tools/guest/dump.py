#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Dumps a running guest's memory to an ELF core through QEMU's QMP socket.

  tools/guest/dump.py QMP_SOCKET CORE

QEMU pauses the guest for the dump and resumes it after; the command
returns once CORE is complete. With `-device vmcoreinfo` and the guest's
qemu_fw_cfg driver loaded, CORE carries the kernel's VMCOREINFO note
(KASLR offset, release), which is what lets drgn read it. Exits 0 on
success, 1 with one line on stderr otherwise.
"""
import json
import os
import socket
import sys

TIMEOUT = 60  # seconds; a 1 GiB guest dumps in a few


def fail(msg):
    sys.exit(f"dump.py: {msg}")


class Qmp:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(TIMEOUT)
        self.sock.connect(path)
        self.rfile = self.sock.makefile("r", encoding="utf-8")
        greeting = self.read()
        if "QMP" not in greeting:
            fail(f"not a QMP greeting: {greeting}")
        self.execute("qmp_capabilities")

    def read(self):
        line = self.rfile.readline()
        if not line:
            fail("QEMU closed the QMP socket")
        return json.loads(line)

    def execute(self, command, **arguments):
        """Runs command; its "return" value. Events on the way are skipped."""
        msg = {"execute": command}
        if arguments:
            msg["arguments"] = arguments
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self.read()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                fail(f"{command}: {reply['error'].get('desc', reply['error'])}")


def main():
    if len(sys.argv) != 3:
        fail("usage: dump.py QMP_SOCKET CORE")
    sock_path, core = sys.argv[1], os.path.abspath(sys.argv[2])
    try:
        qmp = Qmp(sock_path)
        # paging=True: QEMU walks the guest's page tables and gives each
        # segment its virtual address too. drgn cannot read a dump of
        # physical addresses only: it would need swapper_pg_dir, a virtual
        # address, to translate virtual addresses ("recursive address
        # translation").
        qmp.execute("dump-guest-memory", paging=True, protocol=f"file:{core}")
    except (OSError, ValueError) as e:
        fail(f"{sock_path}: {e}")
    if not os.path.isfile(core) or os.path.getsize(core) == 0:
        fail(f"QEMU reported success but wrote no {core}")


if __name__ == "__main__":
    main()
