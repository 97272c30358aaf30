#!/usr/bin/env python3
"""Command-line entry point: a thin shim over the briefsite package."""

import sys

from briefsite.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
