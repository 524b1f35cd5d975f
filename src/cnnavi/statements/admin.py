from django.contrib import admin

from cnnavi.common.admin import ReadOnlyAdmin
from cnnavi.statements.models import Evidence, ShareLink, Statement


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("code", "company", "period_kind", "period_year", "issued_by_name", "issued_at")
    exclude = ("figures",)


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    list_display = ("statement", "recipient_name", "expires_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("facility", "month", "energy", "filename", "content_type", "size")
    exclude = ("data",)
