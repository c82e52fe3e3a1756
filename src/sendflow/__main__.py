"""``python -m sendflow``: the command line."""

from sendflow._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
