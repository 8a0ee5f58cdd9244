"""Hosted mode in one command: ``python -m deploy.hosted --server.allowedHosts=dash.example.org``.

Runs the dashboard (through ``deploy.serve``, ``streamlit run`` without the per-interaction wait) with the settings of ``.streamlit/hosted.toml`` on top of
``.streamlit/config.toml``. Streamlit reads one config file per folder and no file chosen at run time, so each
hosted setting is handed over as Streamlit's own environment variable (``STREAMLIT_<SECTION>_<OPTION>``):
a variable already set in the environment wins over hosted.toml, and a command-line flag wins over both.
Every other argument is a ``--section.option=value`` flag, read as ``streamlit run`` reads it.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / ".streamlit" / "hosted.toml"
ENTRY = ROOT / "dashboard.py"
MODE_VAR = "DASHBOARD_MODE"   # metrics/curation.py reads it: hosted → no curation workbench, no writes


def settings(path: Path = SETTINGS) -> dict[str, object]:
    """hosted.toml as {"section.option": value}."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return {f"{section}.{option}": value for section, options in data.items() for option, value in options.items()}


def env_name(key: str) -> str:
    """"server.allowedHosts" → "STREAMLIT_SERVER_ALLOWED_HOSTS" (Streamlit's own rule, config_option.env_var)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", key.replace(".", "_"))
    return "STREAMLIT_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).upper()


def env_value(value: object) -> str:
    """How Streamlit's command line reads a value from the environment (lists are space-separated)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " ".join(env_value(item) for item in value)
    return str(value)


def hosted_environment(path: Path = SETTINGS) -> dict[str, str]:
    """The hosted settings as environment variables, and the hosted-mode marker (see ``environment``)."""
    return {**{env_name(key): env_value(value) for key, value in settings(path).items()}, MODE_VAR: "hosted"}


def environment(base: Mapping[str, str] = os.environ) -> dict[str, str]:
    """``base`` with the hosted settings added; variables already set in ``base`` are kept."""
    # DASHBOARD_MODE=hosted is set last, over the environment: no variable can make a hosted run local
    # (metrics/curation.py: the curation workbench and every write it makes need a local run).
    return {**hosted_environment(), **base, MODE_VAR: "hosted"}


def command(args: list[str]) -> list[str]:
    # deploy.serve: the dashboard with Nagle's algorithm off on every connection (see its docstring).
    return [sys.executable, "-m", "deploy.serve", *args]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    env = environment()
    if not any(arg.startswith("--server.allowedHosts") for arg in args):
        print(f"deploy.hosted: WebSocket connections are accepted for: {env['STREAMLIT_SERVER_ALLOWED_HOSTS']}. "
              "Add your public host name with --server.allowedHosts=<name>.", file=sys.stderr)
    if os.name == "posix":  # replace this process: a service manager's signals reach Streamlit directly
        os.chdir(ROOT)
        os.execve(sys.executable, command(args), env)
    return subprocess.call(command(args), env=env, cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main())
