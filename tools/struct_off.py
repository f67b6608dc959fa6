#!/usr/bin/env drgn
# SPDX-License-Identifier: GPL-2.0
"""Where a member of a kernel type is, from the kernel's debug info (DWARF).

  drgn tools/struct_off.py "struct T" member...            the running kernel
  python3 tools/struct_off.py -s VMLINUX "struct T" member...  any vmlinux with
                                                           DWARF, no kernel needed

A member is a C member path: se.nr_migrations, comm[3], pid_links[1].next.
Prints one line per member, as `kmemsnoop offsetof` does from BTF:

  offsetof(struct task_struct, se.nr_migrations) = 272 (0x110), size 8, type u64

Under drgn (`prog` given) the running kernel's or the core's debug info is
used; -s loads that vmlinux into a program of its own, without reading
any memory (the type information is all an offset needs).
"""
import argparse
import re
import sys

import drgn


def program(vmlinux):
    if vmlinux:
        p = drgn.Program()
        p.load_debug_info([vmlinux], default=False, main=False)
        return p
    if "prog" in globals():
        return globals()["prog"]
    sys.exit("struct_off.py: run it under drgn (drgn tools/struct_off.py ...), "
             "or give a vmlinux with -s")


def member(p, type_name, path):
    """The member as an object at address 0: its address is its offset."""
    obj = drgn.Object(p, p.type(type_name), address=0)
    steps = re.findall(r"\.?([A-Za-z_]\w*)|\[(\d+)\]", path)
    if "".join(f".{n}" if n else f"[{i}]" for n, i in steps).lstrip(".") != path:
        raise ValueError(f"bad member path '{path}'")
    for name, index in steps:
        obj = obj.member_(name) if name else obj[int(index)]
    return obj


def describe(type_name, path, obj):
    off = obj.address_
    line = (f"offsetof({type_name}, {path}) = {off} ({off:#x}), "
            f"size {drgn.sizeof(obj.type_)}, type {obj.type_.type_name()}")
    if obj.bit_offset_ or obj.bit_field_size_:
        line += f", bitfield: bit offset {obj.bit_offset_}, {obj.bit_field_size_} bits"
    return line


def main():
    ap = argparse.ArgumentParser(
        prog="struct_off.py",
        description="Print the offset, size and type of members of a kernel type.")
    ap.add_argument("-s", "--vmlinux", help="vmlinux with DWARF to read types from")
    ap.add_argument("type", help="'struct NAME', 'union NAME' or a typedef")
    ap.add_argument("members", nargs="+", help="member paths, e.g. se.nr_migrations")
    args = ap.parse_args()
    p = program(args.vmlinux)
    status = 0
    for path in args.members:
        try:
            print(describe(args.type, path, member(p, args.type, path)))
        except (LookupError, ValueError, TypeError) as e:
            print(f"struct_off.py: {args.type}: {path}: {e}", file=sys.stderr)
            status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
