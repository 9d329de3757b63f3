#!/bin/bash
# SPDX-License-Identifier: ISC
# sdboot.sh DIR PREP: boots systemd as PID 1 of the namespaces it is
# started in, by tests/contrib/systemd.t:
#   unshare --mount --pid --fork --net --uts --ipc --cgroup sdboot.sh ...
# The root is an overlay of / whose writes go to a tmpfs on DIR, so the
# boot changes nothing on the host; /run, /tmp, /dev are its own tmpfs
# (the host's /tmp holds other tests' files, which systemd-tmpfiles would
# clean), /sys is read-only and "container" is set, as systemd-nspawn
# does, so udev and the units that touch hardware stay out.  PREP ROOT
# fills the new root (binaries, units, configs) before systemd starts.
set -eu
D=$1 PREP=$2
mount -t tmpfs -o mode=755 tmpfs "$D"
mkdir "$D/upper" "$D/work" "$D/root"
R=$D/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$D/upper,workdir=$D/work" "$R"
mount -t proc proc "$R/proc"
mount -t sysfs -o ro sysfs "$R/sys"
mount -t cgroup2 cgroup2 "$R/sys/fs/cgroup"
mount -t tmpfs -o mode=755 tmpfs "$R/run"
mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
mount -t tmpfs -o mode=755 tmpfs "$R/dev"
for n in null zero full random urandom tty; do
	touch "$R/dev/$n"
	mount --bind "/dev/$n" "$R/dev/$n"
done
mkdir "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$R/dev/pts"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
"$PREP" "$R"
cd "$R"
mkdir -p .oldroot
pivot_root . .oldroot
umount -l /.oldroot
rmdir /.oldroot
export container=hatools-test
exec /lib/systemd/systemd --system --unit=hatools-test.target </dev/null
