"""The ``govdisclosure`` command (``python -m govdisclosure``, and the console script).

Start-up makes tens of thousands of objects that live as long as the process
(modules, classes and their generated methods, compiled patterns) and almost
no garbage; the cyclic collector's passes over them find nothing and cost about
a tenth of checking one file. So the collector is off while the command line is
imported, and what the imports made is then frozen (``gc.freeze``: left out of
every later collection, the interpreter's last ones at exit included). The
collector runs as usual while the command works, so a long check of a folder
frees its cycles as any program does.
"""

from __future__ import annotations

import gc
import sys


def run() -> int:
    """Run the command line on ``sys.argv``; its exit status."""
    gc.disable()
    try:
        from .cli import main
    finally:
        gc.freeze()
        gc.enable()
    status = main()
    gc.freeze()  # the exit's collections need not walk what the command made either
    return status


if __name__ == "__main__":
    sys.exit(run())
