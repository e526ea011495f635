#!/usr/bin/env python3
"""Turns the raw measurements bench/run leaves in OUT/NAME/ into the markdown table.

  bench/report.py OUT/NAME NAME [--smoke]

Reads measurements.tsv (id, task, tool, command per line), ID.hyperfine.json (wall time of
each run, from bench/measure.py or hyperfine) and ID.time (/usr/bin/time -v of every run:
CPU time, peak RSS) and machine.txt. Ratios and targets use medians: the runs of a step were
made in turns, so a median compares like with like even while other work shares the machine.
"""

import json
import os
import re
import statistics
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
        # timed runs only (the warm-up runs come first in the file); hyperfine's
        # (microseconds) for start-up, which /usr/bin/time cannot resolve.
        timed = len(hf["times"])
        cpu = [u + s for u, s in zip(user[-timed:], system[-timed:])]
        # With a database server, what its processes spent on each run (bench/measure.py
        # --server) is added: the work of a COPY or a DELETE is the server's, not the client's.
        server = os.path.join(work, ident + ".server")
        if os.path.exists(server):
            spent = [float(x) for x in open(server).read().split()][-timed:]
            cpu = [c + s for c, s in zip(cpu, spent)]
        cpu = statistics.median(cpu) if cpu else 0.0
        if ident.startswith("startup"):
            cpu = hf["user"] + hf["system"]
        m[ident] = dict(step=ident.split("-")[0], task=task, tool=tool, command=command,
                        median=statistics.median(hf["times"]), min=hf["min"],
                        stddev=hf["stddev"] or 0.0, runs=timed, cpu=cpu,
                        rss=max(rss) / 1024.0)
    # In the order of the steps, whichever run measured them.
    order = ["export", "scrub", "cookies", "startup", "pgexport", "pgscrub", "pgpartitions",
             "mdexport", "mdscrub"]
    return dict(sorted(m.items(), key=lambda item: order.index(item[1]["step"])))


def seconds(s):
    return "%.1f ms" % (s * 1000) if s < 1 else "%.2f s" % s


def reference(ident):
    """The telcomply measurement another tool's is compared with: the same step and HAR."""
    step = ident.split("-")[0]
    if step == "startup":
        return None
    suffix = next((s for s in ("-big", "-purged") if ident.endswith(s)), "")
    return step + "-telcomply" + suffix


def main():
    work, name = sys.argv[1], sys.argv[2]
    smoke = "--smoke" in sys.argv[3:]
    m = load(work)
    out = []
    p = out.append
    p("## telcomply benchmarks, %s%s" % (
        name, " (smoke run: one run each, not timing)" if smoke else ""))
    p("")
    machine = os.path.join(work, "machine.txt")
    if os.path.exists(machine):
        p("```")
        p(open(machine).read().rstrip())
        p("```")
        p("")
    p("| task | tool | wall (median) | wall (min; σ) | runs "
      "| CPU (user+sys, median; PostgreSQL, MariaDB: client and server) "
      "| peak RSS | telcomply ÷ this, wall | telcomply ÷ this, CPU |")
    p("|---|---|---|---|---|---|---|---|---|")
    for ident, r in m.items():
        ref = reference(ident)
        wall = cpu = ""
        if ref in m and ref != ident:
            wall = "%.2f×" % (m[ref]["median"] / r["median"])
            cpu = "%.2f×" % (m[ref]["cpu"] / r["cpu"]) if r["cpu"] > 0 else ""
        p("| %s | %s | %s | %s; %s | %d | %s | %.1f MiB | %s | %s |" % (
            r["task"], r["tool"], seconds(r["median"]), seconds(r["min"]),
            seconds(r["stddev"]), r["runs"], seconds(r["cpu"]), r["rss"], wall, cpu))
    p("")

    # The targets on wall time, with the CPU-time figure beside it: on a shared
    # machine CPU time is the steadier of the two.
    p("| target | measured (wall, median) | met | same on CPU time | met |")
    p("|---|---|---|---|---|")

    def target(title, wall, wall_ok, cpu, cpu_ok):
        cpu = cpu.replace("nan×", "n/a (under the timer's resolution)")
        p("| %s | %s | %s | %s | %s |" % (title, wall, "yes" if wall_ok else "**no**", cpu,
                                          "yes" if cpu_ok else "**no**"))

    def ratio(a, b, key):
        return m[a][key] / m[b][key] if m[b][key] > 0 else float("nan")

    def against_floor(ident, variants):
        """The floor among the measurements whose id starts with `variants`, the fastest by
        wall time and by CPU time, and `ident`'s ratios to each."""
        floors = [i for i in m if i.startswith(variants)]
        wall_floor = min(floors, key=lambda i: m[i]["median"])
        cpu_floor = min(floors, key=lambda i: m[i]["cpu"])
        return (wall_floor, cpu_floor, ratio(ident, wall_floor, "median"),
                ratio(ident, cpu_floor, "cpu"))

    if "export-telcomply" in m:
        wall_floor, cpu_floor, w, c = against_floor("export-telcomply", "export-sqlite")
        target("export at most 1.15× the floor (fastest sqlite3 -json: %s; CPU: %s)" % (
            m[wall_floor]["tool"].split(", ", 1)[-1], m[cpu_floor]["tool"].split(", ", 1)[-1]),
            "%.2f×" % w, w <= 1.15, "%.2f×" % c, c <= 1.15)
        if "export-python" in m:
            w, c = ratio("export-python", "export-telcomply", "median"), ratio(
                "export-python", "export-telcomply", "cpu")
            target("export at least 3× faster than Python", "%.2f× faster" % w, w >= 3,
                   "%.2f× less" % c, c >= 3)
        rss = m["export-telcomply"]["rss"]
        target("export peak RSS under 64 MiB", "%.1f MiB" % rss, rss < 64, "", True)
    if "scrub-telcomply" in m:
        w, c = ratio("scrub-telcomply", "scrub-sqlite", "median"), ratio(
            "scrub-telcomply", "scrub-sqlite", "cpu")
        target("scrub at most 1.1× the raw SQL (same cache and secure_delete)", "%.2f×" % w,
               w <= 1.1, "%.2f×" % c, c <= 1.1)
        if "scrub-sqlite-checked" in m:
            w, c = ratio("scrub-telcomply", "scrub-sqlite-checked", "median"), ratio(
                "scrub-telcomply", "scrub-sqlite-checked", "cpu")
            target("scrub at most 1.1× the raw SQL after the same integrity check",
                   "%.2f×" % w, w <= 1.1, "%.2f×" % c, c <= 1.1)
    if "pgexport-telcomply" in m:
        w = ratio("pgexport-telcomply", "pgexport-psql", "median")
        c = ratio("pgexport-telcomply", "pgexport-psql", "cpu")
        target("PostgreSQL: export at most 1.5× the floor (psql COPY ... row_to_json)",
               "%.2f×" % w, w <= 1.5, "%.2f×" % c, c <= 1.5)
        w = ratio("pgexport-python", "pgexport-telcomply", "median")
        c = ratio("pgexport-python", "pgexport-telcomply", "cpu")
        target("PostgreSQL: export faster than Python (psycopg2)", "%.2f× faster" % w, w > 1,
               "%.2f× less" % c, c > 1)
        rss = m["pgexport-telcomply"]["rss"]
        target("PostgreSQL: export peak RSS under 64 MiB", "%.1f MiB" % rss, rss < 64, "", True)
    if "pgscrub-telcomply" in m:
        w = ratio("pgscrub-telcomply", "pgscrub-sql", "median")
        c = ratio("pgscrub-telcomply", "pgscrub-sql", "cpu")
        target("PostgreSQL: scrub at most 1.3× the raw SQL and VACUUM", "%.2f×" % w, w <= 1.3,
               "%.2f×" % c, c <= 1.3)
    if "pgpartitions-telcomply" in m:
        w = ratio("pgpartitions-rows", "pgpartitions-telcomply", "median")
        c = ratio("pgpartitions-rows", "pgpartitions-telcomply", "cpu")
        target("PostgreSQL: dropping expired partitions beats deleting their rows by an order "
               "of magnitude (nothing held)", "%.1f× faster" % w, w >= 10, "%.1f× less" % c,
               c >= 10)
    if "mdexport-telcomply" in m:
        wall_floor, cpu_floor, w, c = against_floor("mdexport-telcomply", "mdexport-mariadb")
        target("MariaDB: export at most 1.5× the floor (fastest mariadb JSON_OBJECT: %s; "
               "CPU: %s)" % (m[wall_floor]["tool"].split(": ", 1)[0],
                             m[cpu_floor]["tool"].split(": ", 1)[0]),
               "%.2f×" % w, w <= 1.5, "%.2f×" % c, c <= 1.5)
        rss = m["mdexport-telcomply"]["rss"]
        target("MariaDB: export peak RSS under 64 MiB", "%.1f MiB" % rss, rss < 64, "", True)
    if "mdscrub-telcomply-purged" in m:
        w = ratio("mdscrub-telcomply-purged", "mdscrub-sql-purged", "median")
        c = ratio("mdscrub-telcomply-purged", "mdscrub-sql-purged", "cpu")
        target("MariaDB: scrub at most 1.3× the raw SQL, both with InnoDB's purge of what they "
               "deleted (as PostgreSQL's with VACUUM)", "%.2f×" % w, w <= 1.3, "%.2f×" % c,
               c <= 1.3)
    if "mdscrub-telcomply" in m:
        w = ratio("mdscrub-telcomply", "mdscrub-sql", "median")
        c = ratio("mdscrub-telcomply", "mdscrub-sql", "cpu")
        target("MariaDB: scrub at most 1.3× the raw SQL, purge left to the server", "%.2f×" % w,
               w <= 1.3, "%.2f×" % c, c <= 1.3)
    for suffix in ("", "-big"):
        if "cookies-telcomply" + suffix not in m:
            continue
        tc, jq = "cookies-telcomply" + suffix, "cookies-jq" + suffix
        size = m[tc]["task"].split("(", 1)[-1].rstrip(")")
        w, c = ratio(tc, jq, "median"), ratio(tc, jq, "cpu")
        target("cookie check faster than jq's extraction alone, %s" % size,
               "%.2f× jq's time" % w, w < 1, "%.2f× jq's" % c, c < 1)
        rss = m[tc]["rss"]
        target("cookie check peak RSS under 64 MiB, %s" % size, "%.1f MiB" % rss, rss < 64, "",
               True)
    for ident in ("startup-version", "startup-lint"):
        if ident not in m:
            continue
        s, c = m[ident]["median"], m[ident]["cpu"]
        target("start-up under 10 ms: %s" % m[ident]["tool"], seconds(s), s < 0.010,
               seconds(c), c < 0.010)
    p("")
    p("Commands (bench/measure.py runs those of a step in turns, each wrapped in "
      "`/usr/bin/time -v -a -o FILE`; start-up with `hyperfine -N`):")
    p("")
    for ident, r in m.items():
        p("- %s, %s: `%s`" % (r["task"], r["tool"], r["command"]))
    print("\n".join(out))


if __name__ == "__main__":
    main()
