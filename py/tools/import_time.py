"""Prints how long `import takst` takes in a fresh interpreter: the median of 7 runs, less
the interpreter's own start-up (pandas, pyarrow and matplotlib are imported only when a
table or a plot is asked for)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def run(code: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t


def main() -> None:
    bare = statistics.median(run("pass") for _ in range(7))
    with_takst = statistics.median(run("import takst") for _ in range(7))
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, takst; print(sorted(m for m in ('pandas', 'pyarrow', 'numpy', "
         "'matplotlib', 'polars') if m in sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    print(f"import takst: {(with_takst - bare) * 1000:.0f} ms (interpreter start-up {bare * 1000:.0f} ms "
          f"not counted; heavy modules imported: {heavy})")


if __name__ == "__main__":
    main()
