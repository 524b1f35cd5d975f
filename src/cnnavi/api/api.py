"""The JSON API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json).

Each app that offers endpoints has a module ``cnnavi.<app>.api_routes`` with a Ninja ``router``
and a ``prefix``; they are mounted here in the order of INSTALLED_APPS.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from ninja import NinjaAPI
from ninja.security import SessionAuth

api = NinjaAPI(
    title="CN Navi API",
    version="1.0.0",
    description="CN Navi JSON API. Authenticate with a session (the pages' own calls) or a "
    "personal API token (Authorization: Bearer ...).",
    urls_namespace="api",
    docs_url=None,  # the bundled Swagger UI would load assets from a CDN
    auth=[SessionAuth()],
)


def _mount_app_routers() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("cnnavi."):
            continue
        module_name = f"{config.name}.api_routes"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        api.add_router(module.prefix, module.router)


_mount_app_routers()
