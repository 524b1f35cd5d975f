"""The ``cnnavi`` command.

``cnnavi co2 ...`` and ``cnnavi factors ...`` run the calculation core without Django.
Every other word is a Django management command (``cnnavi demo``, ``cnnavi migrate`` ...).
"""

import os
import sys

PURE_COMMANDS = {
    "co2": "co2_main",
    "factors": "factors_main",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        from cnnavi.core import cli as core_cli

        return getattr(core_cli, PURE_COMMANDS[args[0]])(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnnavi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cnnavi", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
