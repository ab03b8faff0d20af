"""``python -m wfm.cli`` runs the command line."""

from wfm.cli import main

main()
