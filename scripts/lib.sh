# Shared helpers for the scripts in this folder (sourced, not run).

# The Rust toolchain: the machine image's rustup toolchain (Rust ≥ 1.85). Debian's own `cargo`
# package is too old for the dependencies, and rustup's download installer cannot reach its
# servers here, so a missing toolchain is reported rather than fetched.
need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    for dir in "$HOME/.cargo/bin" /usr/local/cargo/bin; do
      [ -x "$dir/cargo" ] && export PATH="$dir:$PATH"
    done
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "takst needs Rust ≥ 1.85 with cargo (rustup's stable toolchain); none was found on PATH." >&2
    exit 1
  fi
  local version
  version=$(rustc --version | awk '{print $2}')
  if [ "$(printf '%s\n1.85.0\n' "$version" | sort -V | head -1)" != "1.85.0" ]; then
    echo "takst needs Rust ≥ 1.85; found $version." >&2
    exit 1
  fi
}

# Components the checks need (already in the image; adding them is a no-op there).
need_rust_components() {
  if command -v rustup >/dev/null 2>&1; then
    rustup component add clippy rustfmt >/dev/null 2>&1 || true
  fi
  cargo clippy --version >/dev/null 2>&1 || { echo "cargo clippy is missing" >&2; exit 1; }
  cargo fmt --version >/dev/null 2>&1 || { echo "cargo fmt is missing" >&2; exit 1; }
}

section() { printf '\n==> %s\n' "$*"; }

# A Python virtual environment in .venv (CPython ≥ 3.10 from the machine, pip from PyPI).
need_venv() {
  local python
  python=$(command -v python3 || true)
  if [ -z "$python" ]; then
    echo "the tests need Python 3 (≥ 3.10) with venv and pip; none was found on PATH." >&2
    exit 1
  fi
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
}
