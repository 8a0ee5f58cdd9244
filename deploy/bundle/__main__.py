"""python -m deploy.bundle OUT.zip [--platform TAG ...]: the offline install bundle (app, data, wheels, scripts)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import wheels
from .make import ROOT, make

DEFAULT_CACHE = ROOT / ".bundle-cache"   # git-ignored: downloaded wheels, reused by the next build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.bundle", description=__doc__)
    parser.add_argument("out", type=Path, help="the zip to write")
    parser.add_argument("--platform", action="append", choices=wheels.DEFAULT_PLATFORMS,
                        help="a target platform (repeat for several; default: all of them)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where downloaded wheels are kept")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        made = make(args.out, args.platform or list(wheels.DEFAULT_PLATFORMS), args.cache)
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    per = ", ".join(f"{platform}: {len(names)} wheels" for platform, names in made["wheels"].items())
    print(f"wrote {args.out} ({made['bytes'] / 1e6:.0f} MB; {per}) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
