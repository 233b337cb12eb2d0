"""Entry point: parse the arguments, then run a command or start the desktop app."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from paperprep import cli


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The installed app starts its export helper (paperprep.ops.helper) as itself: this runs the helper, and
        # never returns, when this process is one.
        import multiprocessing

        multiprocessing.freeze_support()
    args = cli.parse_args(argv)
    if args.self_test:
        from paperprep.selftest import run_self_test

        return run_self_test()
    if args.command is not None:
        return cli.run(args)
    try:
        from paperprep.ui import run_gui

        return run_gui(args.db)
    except Exception as exc:  # the GUI reports its own errors; this covers a failure to start at all
        print(f"paperprep: {cli.report_unexpected(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
