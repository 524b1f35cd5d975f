"""Find a module of the same name in every CN Navi app (demo data, reference data)."""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("cnnavi."):
            continue
        try:
            spec = find_spec(f"{config.name}.{name}")
        except ModuleNotFoundError:  # a parent package (e.g. tests) does not exist
            spec = None
        if spec is not None:
            modules.append(import_module(f"{config.name}.{name}"))
    return modules
