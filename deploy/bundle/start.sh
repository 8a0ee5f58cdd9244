#!/bin/sh
# Start the dashboard from this bundle with no network: a virtual environment is made once, from the wheels in
# ./wheels (pip never contacts a package index), then the app runs on http://localhost:${PORT:-8501}.
# Needs Python 3.11 (64-bit); set PYTHON to its path if it is not python3.11 or python3 on the PATH.
set -eu
cd "$(dirname "$0")"
PORT="${PORT:-8501}"

pick_python() {
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
           "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [ ! -f .venv/installed ]; then
    python=$(pick_python) || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)." >&2; exit 1; }
    echo "First start: installing the bundled packages into .venv (no network needed)..."
    rm -rf .venv
    "$python" -m venv .venv
    # PIP_CONFIG_FILE=/dev/null: no pip configuration of this machine (extra indexes, links) takes part.
    # --no-compile: Python compiles what the app imports on first use, not all of every package (half the install).
    PIP_CONFIG_FILE=/dev/null .venv/bin/python -m pip install --no-index --find-links wheels \
        --disable-pip-version-check --no-compile -q -r requirements.txt
    touch .venv/installed
fi

echo "Starting the dashboard on http://localhost:$PORT (Ctrl+C stops it)."
# deploy.serve: streamlit run without the per-interaction wait (Nagle off; see deploy/serve.py).
exec .venv/bin/python -m deploy.serve --server.address=127.0.0.1 --server.port="$PORT" \
    --browser.gatherUsageStats=false --browser.serverAddress=localhost "$@"
