"""The request's client address, for audit entries written deep inside services."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("cnnavi_audit_ip", default=None)
