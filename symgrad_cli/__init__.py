"""symgrad's command line (click). Installed as the ``symgrad_cli`` package."""
