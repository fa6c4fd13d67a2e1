"""Prints how long `import takst` takes in a fresh interpreter, less the interpreter's own
start-up: the median of 9 runs, as wall-clock time and as CPU time (user + system of the
child process; on a machine shared with other builds the wall clock also counts the time
spent waiting for a core), and the least CPU time of the 9. pandas, pyarrow, numpy and matplotlib are imported only when a
table or a plot is asked for, and the line says which heavy modules were imported."""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time


def run(code: str) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median(code: str) -> tuple[float, float, float]:
    """The median wall clock and CPU time of 9 runs, and the least CPU time (what the import
    costs when nothing else holds the core: on a host shared with other work the median's
    CPU time too has doubled, a sibling hyperthread's load slowing every instruction)."""
    runs = [run(code) for _ in range(9)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            min(r[1] for r in runs))


def main() -> None:
    bare_wall, bare_cpu, bare_least = median("pass")
    wall, cpu, least = median("import takst")
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, takst; print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', "
         "'matplotlib', 'polars') if m in sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    print(f"import takst: {(wall - bare_wall) * 1000:.0f} ms wall clock, {(cpu - bare_cpu) * 1000:.0f} ms CPU, "
          f"least {(least - bare_least) * 1000:.0f} ms CPU (medians of 9; interpreter start-up not counted; "
          f"heavy modules imported: {heavy})")


if __name__ == "__main__":
    main()
