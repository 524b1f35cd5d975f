"""Support staff edit the diagnosis in the admin: a published version is read-only; "new
version from this one" makes an editable draft, and "publish" checks and publishes it."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import csrf_protect_m
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cnnavi.know import services
from cnnavi.know.models import Diagnosis, DiagnosisVersion, SelfCheck


class DiagnosisVersionForm(forms.ModelForm):
    class Meta:
        model = DiagnosisVersion
        fields = ["definition", "note"]

    def clean_definition(self):
        definition = self.cleaned_data["definition"]
        problems = services.definition_problems(definition)
        if problems:
            raise ValidationError(problems)
        return definition


@admin.register(DiagnosisVersion)
class DiagnosisVersionAdmin(admin.ModelAdmin):
    form = DiagnosisVersionForm
    list_display = ["number", "status", "note", "created_at", "published_at"]
    list_filter = ["status"]
    actions = ["new_version_from_this", "publish"]

    def has_add_permission(self, request):
        return False  # versions start from an existing one ("new version from this one")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False  # a published version is shown read-only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.is_editable and not obj.diagnoses.exists()

    def get_readonly_fields(self, request, obj=None):
        base = ["number", "status", "based_on", "created_by", "created_at", "published_at"]
        if obj is not None and not obj.is_editable:
            return base + ["definition", "note"]
        return base

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The service owns the (durable) transaction, so the admin must not open one around it.
        return self._changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        services.diagnosis_version_update(
            actor=request.user,
            version=obj,
            definition=form.cleaned_data["definition"],
            note=form.cleaned_data["note"],
        )

    @admin.action(description=_("この版から新しい版（下書き）を作る"))
    def new_version_from_this(self, request, queryset):
        for version in queryset.order_by("number"):
            copy = services.diagnosis_version_copy(actor=request.user, version=version)
            self.message_user(request, _("v%(n)d を作りました。") % {"n": copy.number})

    @admin.action(description=_("公開する（新しい回答はこの版で診断します）"))
    def publish(self, request, queryset):
        for version in queryset.order_by("number"):
            try:
                services.diagnosis_version_publish(actor=request.user, version=version)
            except ValidationError as exc:
                self.message_user(
                    request, f"v{version.number}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, _("v%(n)d を公開しました。") % {"n": version.number})


@admin.register(Diagnosis)
class DiagnosisAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "stage",
        "version",
        "prefecture",
        "industry",
        "company",
        "is_demo",
    ]
    list_filter = ["stage", "prefecture", "industry", "is_demo"]
    readonly_fields = [f.name for f in Diagnosis._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SelfCheck)
class SelfCheckAdmin(admin.ModelAdmin):
    list_display = ["created_at", "checked_count", "prefecture", "industry", "company", "is_demo"]
    list_filter = ["prefecture", "industry", "is_demo"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
