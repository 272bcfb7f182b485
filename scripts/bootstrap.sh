#!/usr/bin/env bash
# Creates .venv with the locked dependencies, using the first Python >= 3.12 it finds.
# uv does the install (fast, honours uv.lock); it is taken from PATH or installed into .tools/.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
export UV_PYTHON_DOWNLOADS=never

python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null && python_ok "$(command -v "$candidate")"; then
            command -v "$candidate"
            return
        fi
    done
    if command -v pyenv >/dev/null; then
        for candidate in "$(pyenv root)"/versions/3.13*/bin/python "$(pyenv root)"/versions/3.12*/bin/python; do
            if [ -x "$candidate" ] && python_ok "$candidate"; then
                echo "$candidate"
                return
            fi
        done
    fi
    return 1
}

if ! PY=$(find_python); then
    cat >&2 <<'MSG'
No Python 3.12 or newer was found (looked for $PYTHON, python3.13, python3.12, python3, pyenv).
Install one, for example:
  Debian/Ubuntu:  sudo apt-get install python3.12 python3.12-venv
  macOS:          brew install python@3.13
  pyenv:          pyenv install 3.13
then run the command again (or point PYTHON=/path/to/python3.12 at it).
MSG
    exit 1
fi

UV=$(command -v uv || true)
if [ -z "$UV" ] || [ "$("$UV" --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
        echo "bootstrap: installing uv $UV_VERSION into .tools/"
        "$PY" -m venv .tools
        .tools/bin/python -m pip install --quiet "uv==$UV_VERSION"
    fi
    UV=.tools/bin/uv
fi

"$UV" sync --locked --quiet --python "$PY"
