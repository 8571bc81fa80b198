"""The package version (kept free of imports so ``symgrad --version`` is instant)."""

__version__ = "0.1.0"
