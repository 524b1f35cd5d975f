"""Serve browser assets that ship inside pip packages (never from a CDN).

``vendor/plotly.min.js`` is plotly.js from the ``plotly`` package. The finder also lists the
files, so ``collectstatic`` copies them for production.
"""

import os
from importlib.util import find_spec

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PACKAGE_FILES = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def _package_path(package: str, relative: str) -> str | None:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], relative)
    return path if os.path.exists(path) else None


class PackageFilesFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path in PACKAGE_FILES:
            found = _package_path(*PACKAGE_FILES[path])
            if found:
                return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name, (package, relative) in PACKAGE_FILES.items():
            found = _package_path(package, relative)
            if found:
                storage = FileSystemStorage(location=os.path.dirname(found))
                storage.prefix = os.path.dirname(name)
                yield os.path.basename(found), storage
