#!/usr/bin/env python3
"""Turns the raw measurements bench/run leaves in OUT/SCALE/ into the markdown table.

  bench/report.py OUT/SCALE SCALE [--smoke]

Reads measurements.tsv (id, task, tool, command per line), ID.hyperfine.json (wall time)
and ID.time (/usr/bin/time -v of every run: CPU time, peak RSS) and machine.txt.
"""

import json
import os
import re
import sys


def load(work):
    m = {}
    for line in open(os.path.join(work, "measurements.tsv"), encoding="utf-8"):
        ident, task, tool, command = line.rstrip("\n").split("\t")
        hf = json.load(open(os.path.join(work, ident + ".hyperfine.json")))["results"][0]
        text = open(os.path.join(work, ident + ".time")).read()
        user = [float(x) for x in re.findall(r"User time \(seconds\): ([\d.]+)", text)]
        system = [float(x) for x in re.findall(r"System time \(seconds\): ([\d.]+)", text)]
        rss = [int(x) for x in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)]
        # CPU time: /usr/bin/time's (hundredths of a second) for the long tasks, over the
        # timed runs only (hyperfine's warm-up runs come first in the file); hyperfine's
        # (microseconds) for start-up, which /usr/bin/time cannot resolve.
        timed = len(hf["times"])
        user, system = user[-timed:], system[-timed:]
        cpu = (sum(user) + sum(system)) / max(1, len(user))
        if ident.startswith("startup"):
            cpu = hf["user"] + hf["system"]
        m[ident] = dict(step=ident.split("-")[0], task=task, tool=tool, command=command, mean=hf["mean"], min=hf["min"],
                        stddev=hf["stddev"] or 0.0, runs=len(hf["times"]), cpu=cpu,
                        rss=max(rss) / 1024.0)
    # In the order of the steps, whichever run measured them.
    order = ["export", "scrub", "cookies", "startup"]
    return dict(sorted(m.items(), key=lambda item: order.index(item[1]["step"])))


def seconds(s):
    return "%.1f ms" % (s * 1000) if s < 1 else "%.2f s" % s


def main():
    work, scale = sys.argv[1], sys.argv[2]
    smoke = "--smoke" in sys.argv[3:]
    m = load(work)
    out = []
    p = out.append
    p("## telcomply benchmarks, scale %s%s" % (
        scale, " (smoke run: one run each, not timing)" if smoke else ""))
    p("")
    machine = os.path.join(work, "machine.txt")
    if os.path.exists(machine):
        p("```")
        p(open(machine).read().rstrip())
        p("```")
        p("")
    p("| task | tool | wall (mean ± σ) | wall (min) | runs | CPU (user+sys) | peak RSS "
      "| telcomply ÷ this, wall | telcomply ÷ this, CPU |")
    p("|---|---|---|---|---|---|---|---|---|")
    reference = {"export": "export-telcomply", "scrub": "scrub-telcomply",
                 "cookies": "cookies-telcomply"}
    for ident, r in m.items():
        ref = reference.get(ident.split("-")[0])
        wall = cpu = ""
        if ref and ref != ident:
            wall = "%.2f×" % (m[ref]["mean"] / r["mean"])
            cpu = "%.2f×" % (m[ref]["cpu"] / r["cpu"]) if r["cpu"] > 0 else ""
        p("| %s | %s | %s ± %s | %s | %d | %s | %.1f MiB | %s | %s |" % (
            r["task"], r["tool"], seconds(r["mean"]), seconds(r["stddev"]), seconds(r["min"]),
            r["runs"], seconds(r["cpu"]), r["rss"], wall, cpu))
    p("")

    # The targets, on wall time (mean) as asked, with the CPU-time figure beside it:
    # on a shared machine CPU time is the steadier of the two.
    p("| target | measured (wall, mean) | met | same on CPU time | met |")
    p("|---|---|---|---|---|")

    def target(name, wall, wall_ok, cpu, cpu_ok):
        cpu = cpu.replace("nan×", "n/a (under the timer's resolution)")
        p("| %s | %s | %s | %s | %s |" % (name, wall, "yes" if wall_ok else "**no**", cpu,
                                          "yes" if cpu_ok else "**no**"))

    def ratio(a, b, key):
        return m[a][key] / m[b][key] if m[b][key] > 0 else float("nan")

    w, c = ratio("export-telcomply", "export-sqlite", "mean"), ratio(
        "export-telcomply", "export-sqlite", "cpu")
    target("export at most 1.5× the sqlite3 floor", "%.2f×" % w, w <= 1.5, "%.2f×" % c, c <= 1.5)
    w, c = ratio("export-python", "export-telcomply", "mean"), ratio(
        "export-python", "export-telcomply", "cpu")
    target("export at least 3× faster than Python", "%.2f× faster" % w, w >= 3,
           "%.2f× less" % c, c >= 3)
    rss = m["export-telcomply"]["rss"]
    target("export peak RSS under 64 MiB", "%.1f MiB" % rss, rss < 64, "", True)
    w, c = ratio("scrub-telcomply", "scrub-sqlite", "mean"), ratio(
        "scrub-telcomply", "scrub-sqlite", "cpu")
    target("scrub at most 1.3× the raw SQL", "%.2f×" % w, w <= 1.3, "%.2f×" % c, c <= 1.3)
    w, c = ratio("cookies-telcomply", "cookies-jq", "mean"), ratio(
        "cookies-telcomply", "cookies-jq", "cpu")
    target("cookie check faster than jq's extraction alone", "%.2f× jq's time" % w, w < 1,
           "%.2f× jq's" % c, c < 1)
    for ident in ("startup-version", "startup-lint"):
        s, c = m[ident]["mean"], m[ident]["cpu"]
        target("start-up under 10 ms: %s" % m[ident]["tool"], seconds(s), s < 0.010,
               seconds(c), c < 0.010)
    p("")
    p("Commands (hyperfine runs each wrapped in `/usr/bin/time -v -a -o FILE`, "
      "except start-up):")
    p("")
    for ident, r in m.items():
        p("- %s, %s: `%s`" % (r["task"], r["tool"], r["command"]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
