#!/usr/bin/env python3
"""Runs a command and samples its memory with the browser it starts, every 100 ms.

  browser_memory.py RESULT_FILE -- COMMAND...

Writes "WALL_SECONDS PEAK_PSS_KIB PEAK_RSS_KIB" to RESULT_FILE: the peak over the samples of
the summed proportional set size of the command and of every process in the process groups of
its descendants (Chromium starts its own group and its helpers stay in it), and the largest
resident set of a single one of them. Exits with the command's status.
"""
import os
import subprocess
import sys
import time


def processes():
    """(pid, ppid, pgid) of every process."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out.append((int(name), int(fields[1]), int(fields[2])))
        except OSError:
            pass
    return out


def memory(pid):
    """(PSS, RSS) in KiB, or (0, 0) when it is gone."""
    pss = rss = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def main():
    result, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]
    start = time.monotonic()
    child = subprocess.Popen(command)
    peak_pss = peak_rss = 0
    while child.poll() is None:
        table = processes()
        family = {child.pid}
        grew = True
        while grew:
            grew = False
            for pid, ppid, _ in table:
                if ppid in family and pid not in family:
                    family.add(pid)
                    grew = True
        groups = {pgid for pid, _, pgid in table if pid in family and pgid != os.getpgrp()}
        family |= {pid for pid, _, pgid in table if pgid in groups}
        total = 0
        for pid in family:
            pss, rss = memory(pid)
            total += pss
            peak_rss = max(peak_rss, rss)
        peak_pss = max(peak_pss, total)
        time.sleep(0.1)
    wall = time.monotonic() - start
    with open(result, "w") as f:
        f.write("%.2f %d %d\n" % (wall, peak_pss, peak_rss))
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
