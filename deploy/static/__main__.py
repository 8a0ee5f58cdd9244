"""python -m deploy.static OUT_DIR [--data DATA_DIR] [--app-url URL]: write the static edition of the built data."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .site import EditionError, build

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.static", description=__doc__)
    parser.add_argument("out", type=Path, help="folder to write (created; a previous edition there is replaced)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="built data folder (default: ./data)")
    parser.add_argument("--app-url", default="", help="the live app's address (https://…): calculators link to it")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        print(f"building the static edition of {args.data} (about half a minute)...", file=sys.stderr)
        edition = build(args.out, args.data, args.app_url, progress=lambda line: print(line, file=sys.stderr, flush=True))
    except EditionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(edition.plotly.describe(), file=sys.stderr)
    for problem in edition.left_out:
        print(f"left out: case {problem.case_id}: {problem.file}: {problem.reason} (run python -m metrics.build)",
              file=sys.stderr)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"wrote {len(edition.pages)} pages to {args.out} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.1f} s; "
          f"open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
