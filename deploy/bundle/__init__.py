"""The intranet install bundle: ``python -m deploy.bundle OUT.zip`` packs the app, the built data, the wheels of
the pinned requirements for Windows (win_amd64) and Linux (x86_64, manylinux) on CPython 3.11, and start scripts
that install from those wheels with no network and start the app on localhost. See make.py and wheels.py."""
