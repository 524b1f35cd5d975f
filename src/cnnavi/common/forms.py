"""Form helpers shared by every app's views."""

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError`` on ``form``: a dict's messages on the fields the form
    has (the rest, and a plain list, as errors of the whole form), so the page names every bad
    field at once."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


def form_status(*forms) -> int:
    """The status of a page showing ``forms``: 422 when one was submitted and is invalid
    (decision 0904), otherwise 200."""
    return 422 if any(f is not None and f.is_bound and f.errors for f in forms) else 200
