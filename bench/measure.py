#!/usr/bin/env python3
"""Times commands side by side, their runs interleaved, for bench/run.

  bench/measure.py --dir WORK --runs N [--warmup W] [--server PID] \\
      --command ID 'SHELL COMMAND' [--prepare ID 'SHELL COMMAND'] ...

Round after round, every command runs once (a round starts one command later than the one
before, so that none is always first), each wrapped in `/usr/bin/time -v -a -o WORK/ID.time`
for CPU time and peak RSS; a command's --prepare runs before each of its runs, untimed. The
first W rounds are warm-up: run, but not counted in the wall times. On a machine other work
shares, interleaving spreads that work's noise over all commands alike, so the ratios of the
same run stay fair where one command timed after another would not be.

With --server, the CPU time a database server's processes spent on each run is counted too:
PostgreSQL's postmaster (PID) reaps every backend when its client disconnects, and what the
reaped children used grows its cumulative user and system time (/proc/PID/stat); MariaDB's
server (PID) is one process, whose threads' time is its own user and system time. Both are
read, the process's own time and its reaped children's, before and after each run (after a
pause for the backend to be reaped, untimed); the difference is appended to WORK/ID.server,
one line of seconds per run.

Writes WORK/ID.hyperfine.json in the shape hyperfine exports (results[0]: command, mean,
stddev, median, min, max, times), which bench/report.py reads. A command that fails stops it
with exit status 1.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def server_cpu(pid):
    """The user and system time of PID and of its reaped children, in seconds (0 without a
    PID)."""
    if not pid:
        return 0.0
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the command's name: state is field 3 of stat(5), utime 14, stime 15, cutime 16
    # and cstime 17.
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--command", nargs=2, action="append", metavar=("ID", "COMMAND"),
                        required=True)
    parser.add_argument("--server", type=int, metavar="PID")
    parser.add_argument("--prepare", nargs=2, action="append", metavar=("ID", "COMMAND"),
                        default=[])
    args = parser.parse_args()
    prepare = dict(args.prepare)
    commands = args.command
    times = {ident: [] for ident, _ in commands}
    for r in range(args.warmup + args.runs):
        start = r % len(commands)
        for ident, command in commands[start:] + commands[:start]:
            if ident in prepare:
                subprocess.run(prepare[ident], shell=True, check=True)
            if args.server:
                time.sleep(0.2)  # the backends of earlier commands are reaped, untimed
            before = server_cpu(args.server)
            began = time.perf_counter()
            status = subprocess.run(["/usr/bin/time", "-v", "-a", "-o",
                                     os.path.join(args.dir, ident + ".time"),
                                     "sh", "-c", command]).returncode
            took = time.perf_counter() - began
            if status != 0:
                print("bench/measure.py: %s failed (exit %d): %s" % (ident, status, command),
                      file=sys.stderr)
                return 1
            if args.server:
                time.sleep(0.2)  # the backend exits after its client: let it be reaped too
                with open(os.path.join(args.dir, ident + ".server"), "a") as f:
                    f.write("%.2f\n" % (server_cpu(args.server) - before))
            if r >= args.warmup:
                times[ident].append(took)
            print("bench/measure.py: round %d, %s: %.3f s%s" % (
                r + 1, ident, took, " (warm-up)" if r < args.warmup else ""), file=sys.stderr)
    for ident, command in commands:
        t = times[ident]
        result = dict(command=command, mean=statistics.mean(t),
                      stddev=statistics.stdev(t) if len(t) > 1 else None,
                      median=statistics.median(t), min=min(t), max=max(t), times=t)
        with open(os.path.join(args.dir, ident + ".hyperfine.json"), "w") as f:
            json.dump({"results": [result]}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
