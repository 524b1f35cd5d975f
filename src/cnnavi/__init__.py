"""CN Navi: a carbon-neutral support platform for Japan's small and medium enterprises."""

__version__ = "0.1.0"
