"""``python -m wfm.cli``: the ``wfm`` command."""

from wfm.cli import main

main()
