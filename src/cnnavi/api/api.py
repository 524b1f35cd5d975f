"""The JSON API at /api/v1/ (OpenAPI schema at /api/v1/openapi.json).

Each app that offers endpoints has a module ``cnnavi.<app>.api_routes`` with a Ninja ``router``
and a ``prefix``; they are mounted here in the order of INSTALLED_APPS. Authentication: a
personal API token (``Authorization: Bearer ...``, created on /measure/api-tokens/) or the
session of the pages' own calls.

Every error answers as a ``Problem`` (``{"detail": str, "errors": [...]}``), and the schema
documents 401, 403, 404 and 422 on every operation (docs/decisions/1002).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth

from cnnavi.api.auth import TokenAuth


class Problem(Schema):
    """What every error answers: a sentence, and for bad input each bad field with why."""

    detail: str
    errors: list[dict] = []


ERRORS = {
    "401": "Not authenticated: no session and no valid, unrevoked API token",
    "403": "Forbidden: the role does not allow it, or two-factor authentication is missing",
    "404": "Not found: no such object, or one of another company",
    "413": "The upload is larger than the limit the message names",
    "422": "Invalid input: each bad field with the reason",
}
# Statuses every operation may answer (413 only where a file is uploaded).
COMMON_ERRORS = ("401", "403", "404", "422")


class CnNaviAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema()
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
        for methods in schema["paths"].values():
            for operation in methods.values():
                responses = operation.setdefault("responses", {})
                statuses = list(COMMON_ERRORS)
                if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                    statuses.append("413")
                for status in statuses:
                    documented = responses.setdefault(status, {"description": ERRORS[status]})
                    own = documented.get("content", {}).get("application/json", {}).get("schema")
                    if own is None or own == ref["application/json"]["schema"]:
                        documented["description"] = ERRORS[status]
                        documented["content"] = ref
                    else:  # the operation's own body (e.g. an import's rows), or a Problem
                        schema_ = {"anyOf": [own, ref["application/json"]["schema"]]}
                        documented["content"] = {"application/json": {"schema": schema_}}
        return schema


api = CnNaviAPI(
    title="CN Navi API",
    version="1.0.0",
    description="CN Navi JSON API. Authenticate with a session (the pages' own calls) or a "
    "personal API token (Authorization: Bearer ...). Every error is a Problem object.",
    urls_namespace="api",
    docs_url=None,  # the bundled Swagger UI would load assets from a CDN
    auth=[TokenAuth(), SessionAuth()],
)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "Forbidden", "errors": []}, status=403)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    """Ninja's own check of path, query and body: the same Problem shape as the services'."""
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("path", "query")),
            "reason": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": "invalid request", "errors": errors}, status=422)


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
