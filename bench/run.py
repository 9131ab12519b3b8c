#!/usr/bin/env python3
"""informe's own benchmark (make bench): the figures of docs/performance.md.

  python3 bench/run.py [--informe ./informe] [--before OLD_INFORME]
                       [--dir build/bench] [--out DIR] [--only NAME,...]

Generates its data with bench/gen_data.py into DIR/data (once; again when
the generator changes), runs each case and prints, per case, the wall
time, the peak RSS (as GNU time's %M gives it, /usr/bin/time: the
largest single process of a run with --jobs), the CPU time (user and
system, every process of the run), the reports, pages and bytes written;
then the ratios the figures are judged by, each beside its goal. With --before, scales S and L are also run with another build
right after, for a ratio taken in the same run.

Cases (--only picks some): S, L (bench/spec.yaml), one (bench/grupo-par.yaml,
one report over 600 and 6,000 entities), national (its burst over 3,000
and 6,000 entities, --jobs 1 and 2; 1,000 entities, --jobs 1 against 2,
on the disk and, when /dev/shm is there, in memory), furag (templates/furag.yaml, a burst
of 1,000 entities, each report with the whole sector), rows (bench/
resumen.yaml over 500,000 and 1,000,000 plan rows).

Times are of this machine at this moment: compare ratios taken in one run,
never figures of different runs. Standard library only.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)

DATA = {  # name: arguments of gen_data.py
    "S": ["--scale", "S"],
    "L": ["--scale", "L"],
    "nat600": ["--national", "600", "--groups", "4"],
    "nat1000": ["--national", "1000", "--groups", "40"],
    "nat3000": ["--national", "3000", "--groups", "20"],
    "nat6000": ["--national", "6000", "--groups", "40"],
    "rows500k": ["--scale", "S", "--plan-rows", "500000"],
    "rows1m": ["--scale", "S", "--plan-rows", "1000000"],
}


def data(dirs, name):
    """DIR/data/NAME, generated unless it is newer than the generator."""
    out = os.path.join(dirs, "data", name)
    stamp = os.path.join(out, ".done")
    gen = os.path.join(HERE, "gen_data.py")
    if (not os.path.exists(stamp)
            or os.path.getmtime(stamp) < os.path.getmtime(gen)):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, gen, out] + DATA[name], check=True)
        open(stamp, "w").close()
    return out


TIME = "/usr/bin/time"


def run(cmd):
    """Wall seconds, peak RSS (MB) and CPU seconds (user and system, its
    worker processes included) of one process; fails on a non-zero
    exit. The peak is the one GNU time reports for the command it forks:
    a process forked by this one starts counted at this one's size, since
    the kernel carries the peak of the memory it had before its exec."""
    env = dict(os.environ, SOURCE_DATE_EPOCH="1522540800")
    peak_file = None
    if os.access(TIME, os.X_OK):
        fd, peak_file = tempfile.mkstemp(prefix="informe-bench-")
        os.close(fd)
        cmd = [TIME, "-f", "%M", "-o", peak_file] + cmd
    t = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss
    if peak_file:
        with open(peak_file) as f:
            lines = f.read().split()
        os.unlink(peak_file)
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
    if p.returncode != 0:
        sys.exit("bench: %s: exit %d\n%s" % (" ".join(cmd), p.returncode,
                                             err.decode(errors="replace")))
    return wall, peak / 1024.0, usage.ru_utime + usage.ru_stime


def capacity():
    """The cores' worth of work two processes get at once: a fixed loop
    timed alone, then two copies at once (2.0 on an idle 2-core
    machine, 1.0 when another load takes a core)."""
    loop = [sys.executable, "-c", "x = 0\nfor i in range(10000000): x += i"]

    def timed(n):
        t = time.perf_counter()
        procs = [subprocess.Popen(loop) for _ in range(n)]
        for p in procs:
            p.wait()
        return time.perf_counter() - t

    alone = min(timed(1) for _ in range(2))
    return 2 * alone / min(timed(2) for _ in range(2))


PAGES = re.compile(rb"/Type /Pages\n/Kids \[[^\]]*\]\n/Count (\d+)")


def written(path):
    """Reports, pages and bytes of a PDF or of a folder of PDFs."""
    files = [path] if path.endswith(".pdf") else [
        os.path.join(path, f) for f in os.listdir(path) if f.endswith(".pdf")]
    pages = size = 0
    for f in files:
        with open(f, "rb") as fh:
            b = fh.read()
        size += len(b)
        pages += max((int(n) for n in PAGES.findall(b)), default=0)
    return len(files), pages, size


class Bench:
    def __init__(self, a):
        self.a = a
        self.rows = []    # printed table
        self.ratios = []  # (what, value, goal text, ok)
        self.out = a.out or os.path.join(a.dir, "out")
        self.aside = 0

    def informe(self, *args, binary=None):
        return [binary or self.a.informe, "render"] + list(args)

    def cases(self, todo, runs=1, warm=False):
        """Each (name, cmd, output) of todo run runs times, taking turns
        (a load that comes and goes weighs on every case alike); the
        median of each is kept. With warm, each timed run comes right
        after an untimed run of the same case. Returns (wall, peak RSS,
        CPU) per case."""
        got = [([], [], []) for _ in todo]
        self.walls = got
        for _ in range(runs):
            for (name, cmd, output), g in zip(todo, got):
                if warm:
                    run(cmd)
                self.set_aside(output)
                if output.endswith(".pdf") and os.path.exists(output):
                    os.remove(output)
                for v, x in zip(g, run(cmd)):
                    v.append(x)
        res = []
        for (name, cmd, output), (w, m, c) in zip(todo, got):
            r = (statistics.median(w), max(m), statistics.median(c))
            res.append(r)
            self.rows.append((name,) + r + written(output))
            print("  %-44s %8.2f s %7.1f MB %8.2f s %6d %7d %11d" %
                  self.rows[-1], flush=True)
        return res

    def set_aside(self, output):
        """Moves the reports of a burst's last run out of the way, to be
        removed when the bench ends. Removing them just before the next
        run would have that run measure the file system: ext4 without a
        journal skips, for each new file, the inodes freed in the last
        seconds, and two processes creating files then contend for the
        same lock (in one run, a sixth of --jobs 2's time)."""
        if os.path.isdir(output):
            self.aside += 1
            os.rename(output, "%s.aside%d" % (output, self.aside))

    def case(self, name, cmd, output, runs=1):
        return self.cases([(name, cmd, output)], runs)[0]

    def ratio(self, what, value, goal, ok):
        self.ratios.append((what, value, goal, ok))

    def report(self):
        print("\nratios (this run):")
        for what, value, goal, ok in self.ratios:
            print("  %-58s %8.2f  %s %s" % (what, value, goal,
                                            "" if ok is None else
                                            ("ok" if ok else "NOT MET")))


def spec(b, scale, runs):
    d = data(b.a.dir, scale)
    out = os.path.join(b.out, "spec-%s.pdf" % scale)
    todo = [("%s: bench/spec.yaml" % scale,
             b.informe("bench/spec.yaml", "-d", d, "-o", out), out)]
    if b.a.before:
        old = os.path.join(b.out, "spec-%s-before.pdf" % scale)
        todo.append(("%s: bench/spec.yaml, --before build" % scale,
                     b.informe("bench/spec.yaml", "-d", d, "-o", old,
                               binary=b.a.before), old))
    res = b.cases(todo, runs)
    if b.a.before:
        r = res[0][0] / res[1][0]
        b.ratio("%s: time / time of the --before build" % scale, r,
                "(goal <= 1, noise 5 %)", r <= 1.05)
        b.ratio("%s: CPU / CPU of the --before build" % scale,
                res[0][2] / res[1][2], "", None)


def one(b):
    """One report over 600 and 6,000 entities: the time and peak RSS of
    the second."""
    todo = []
    for n in ("600", "6000"):
        d = data(b.a.dir, "nat" + n)
        out = os.path.join(b.out, "grupo-par-%s.pdf" % n)
        todo.append(("one: grupo-par.yaml over %s entities" % n,
                     b.informe("bench/grupo-par.yaml", "-d", d, "-o", out),
                     out))
    small, big = b.cases(todo, 5)
    r = big[0] / small[0]
    b.ratio("one report: 6,000 entities / 600 entities", r, "(goal <= 1.5)",
            r <= 1.5)
    return big[0], big[1]


def national(b, one_time, rss_one):
    d3, d6 = data(b.a.dir, "nat3000"), data(b.a.dir, "nat6000")
    base = ["bench/grupo-par.yaml", "--burst-by", "entidad"]
    todo = []
    for n, d, groups, j in (("3,000", d3, 20, "1"), ("6,000", d6, 40, "1"),
                            ("6,000", d6, 40, "2")):
        o = os.path.join(b.out, "nacional-%s-j%s" % (n, j))
        todo.append(("national: %s entities, %d groups, --jobs %s" %
                     (n, groups, j),
                     b.informe(*base, "--jobs", j, "-d", d, "-o",
                               o + "/{entidad}.pdf"), o))
    # Twice each, taking turns: the --jobs ratio is the issue's, over
    # the 6,000 reports, and one run each moved it by a tenth.
    (t3, _, c3), (t6, m6, c6), (t62, _, _) = b.cases(todo, 2)
    same = subprocess.run(["diff", "-rq", todo[1][2], todo[2][2]],
                          stdout=subprocess.DEVNULL).returncode == 0
    # --jobs 2 against --jobs 1, taking turns three times over 1,000
    # entities (40 groups: reports of 2 pages, where the 6,000 have 6):
    # the quickest run of each is the one the machine's other users
    # disturbed least. The disk's work is the same for a small file as
    # for a large one, so it weighs more here than over the 6,000.
    d1 = data(b.a.dir, "nat1000")
    # The same in a folder in memory, when there is one: the disk left
    # out. --jobs 1 waits for the disk on a thread of its own, on the
    # second core; --jobs 2 has no core to spare for it.
    places = [("", b.out)]
    if b.a.out is None and os.access("/dev/shm", os.W_OK):
        places.append((", output in memory", tempfile.mkdtemp(
            prefix="informe-bench-", dir="/dev/shm")))
    cores = capacity()
    jobs = []
    for where, top in places:
        todo = []
        for j in ("1", "2"):
            o = os.path.join(top, "nacional-1000-j" + j)
            todo.append(("national: 1,000 entities, --jobs %s%s (x3)" %
                         (j, where),
                         b.informe(*base, "--jobs", j, "-d", d1, "-o",
                                   o + "/{entidad}.pdf"), o))
        b.cases(todo, 3)
        jobs.append((where, min(b.walls[0][0]), min(b.walls[1][0])))
        if top != b.out:
            shutil.rmtree(top, ignore_errors=True)
    cores = (cores + capacity()) / 2
    b.ratio("national: peak RSS of the burst / of one report", m6 / rss_one,
            "(goal <= 2)", m6 / rss_one <= 2)
    r = t6 / (6000 * one_time)
    b.ratio("national: burst / (6,000 x one report alone)", r,
            "(goal <= 0.5)", r <= 0.5)
    b.ratio("national: 6,000 entities / 3,000 entities, wall", t6 / t3,
            "(goal <= 2.3)", t6 / t3 <= 2.3)
    b.ratio("national: 6,000 entities / 3,000 entities, CPU", c6 / c3,
            "", None)
    b.ratio("national: 6,000, --jobs 2 / --jobs 1, medians of 2", t62 / t6,
            "(goal <= 0.6 on 2 cores)", t62 / t6 <= 0.6)
    for where, j1, j2 in jobs:
        b.ratio("national: 1,000, --jobs 2 / --jobs 1%s, quickest" % where,
                j2 / j1, "(2-page reports)", None)
    b.ratio("  the machine gave two processes this many cores", cores,
            "(of %d; best ratio above about 1 / this)" % os.cpu_count(),
            None)
    b.ratio("national: --jobs 2 wrote the bytes of --jobs 1 (1 = yes)",
            1.0 if same else 0.0, "(goal 1)", same)


def furag(b):
    d = data(b.a.dir, "nat1000")
    lim = ["--limit", "chart_categories=1000"]
    one_out = os.path.join(b.out, "furag-uno.pdf")
    _, m1, _ = b.case("furag: templates/furag.yaml, one of 1,000",
                      b.informe("templates/furag.yaml", "-d", d, *lim, "-o",
                                one_out), one_out)
    o = os.path.join(b.out, "furag-1000")
    t, m, _ = b.case("furag: templates/furag.yaml, 1,000 entities",
                     b.informe("templates/furag.yaml", "-d", d, *lim,
                               "--burst-by", "entidad", "-o",
                               o + "/{entidad}.pdf"), o)
    b.ratio("furag: burst of 1,000, seconds", t, "(goal <= 30)", t <= 30)
    b.ratio("furag: peak RSS of the burst / of one report", m / m1,
            "(goal <= 2)", m / m1 <= 2)


def rows(b):
    todo = []
    for name, n in (("rows500k", "500,000"), ("rows1m", "1,000,000")):
        d = data(b.a.dir, name)
        out = os.path.join(b.out, "resumen-%s.pdf" % name)
        todo.append(("rows: bench/resumen.yaml, %s plan rows" % n,
                     b.informe("bench/resumen.yaml", "-d", d, "-o", out),
                     out))
    # Five runs each, taking turns, each timed run right after an untimed
    # one of the same case; the quickest of each is the one the machine
    # disturbed least. On a virtual machine whose host takes back the
    # memory a process freed (a balloon's free page reporting), a run
    # that touches more memory than the run before it waits for the host
    # to hand each 2 MB page back: taking turns alone, the 1,000,000-row
    # run always paid that for the half of its memory the 500,000-row run
    # before it had not used (0.5 to 1.1 s of system time, against 0.1
    # for the smaller run), which no machine without such a host pays.
    (t1, m1, c1), (t2, m2, c2) = b.cases(todo, 5, warm=True)
    q1, q2 = min(b.walls[0][0]), min(b.walls[1][0])
    b.ratio("rows: 1,000,000 rows / 500,000 rows, wall, quickest", q2 / q1,
            "(goal <= 2.2)", q2 / q1 <= 2.2)
    b.ratio("rows: 1,000,000 rows / 500,000 rows, wall, median", t2 / t1,
            "", None)
    b.ratio("rows: 1,000,000 rows / 500,000 rows, CPU", c2 / c1, "", None)
    b.ratio("rows: peak RSS per plan row, bytes", (m2 - m1) * 1048576 / 5e5,
            "(plan.csv: %d bytes a row)" % (
                os.path.getsize(os.path.join(data(b.a.dir, "rows1m"),
                                             "plan.csv")) // 1000000), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--informe", default="./informe")
    ap.add_argument("--before")
    ap.add_argument("--dir", default="build/bench")
    ap.add_argument("--out", help="where the PDFs go (default DIR/out); "
                    "a folder in memory (/dev/shm) leaves the disk out")
    ap.add_argument("--only", default="S,L,one,national,furag,rows")
    a = ap.parse_args()
    os.chdir(TOP)
    a.informe = os.path.abspath(a.informe)
    a.before = a.before and os.path.abspath(a.before)
    a.out = a.out and os.path.abspath(a.out)
    os.environ.setdefault("INFORME_FONTS", os.path.join(TOP, "fonts"))
    only = set(a.only.split(","))
    b = Bench(a)
    os.makedirs(b.out, exist_ok=True)
    print("informe bench: %s, %d cores" % (a.informe, os.cpu_count()))
    print("  %-44s %10s %10s %10s %6s %7s %11s" % (
        "case", "wall", "peak RSS", "CPU", "PDFs", "pages", "bytes"))
    if "S" in only:
        spec(b, "S", 5)
    if "L" in only:
        spec(b, "L", 3)
    if "one" in only or "national" in only:
        one_time, rss_one = one(b)
    if "national" in only:
        national(b, one_time, rss_one)
    if "furag" in only:
        furag(b)
    if "rows" in only:
        rows(b)
    b.report()
    shutil.rmtree(b.out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
