"""The JSON API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json).

Each app that offers endpoints has a module ``cnnavi.<app>.api_routes`` with a Ninja ``router``
and a ``prefix``; they are mounted here in the order of INSTALLED_APPS. Authentication: a
personal API token (``Authorization: Bearer ...``, created on /measure/api-tokens/) or the
session of the pages' own calls.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.security import SessionAuth

from cnnavi.api.auth import TokenAuth

api = NinjaAPI(
    title="CN Navi API",
    version="1.0.0",
    description="CN Navi JSON API. Authenticate with a session (the pages' own calls) or a "
    "personal API token (Authorization: Bearer ...).",
    urls_namespace="api",
    docs_url=None,  # the bundled Swagger UI would load assets from a CDN
    auth=[TokenAuth(), SessionAuth()],
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


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
