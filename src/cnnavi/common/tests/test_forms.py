"""One helper puts a service's ValidationError on a form, dict or list."""

from django import forms
from django.core.exceptions import ValidationError

from cnnavi.common.forms import add_service_errors


class _Form(forms.Form):
    name = forms.CharField()
    amount = forms.IntegerField()


def _valid_form():
    form = _Form({"name": "A", "amount": "3"})
    assert form.is_valid()
    return form


def test_a_dict_goes_on_the_fields_and_unknown_keys_on_the_whole_form():
    form = _valid_form()
    add_service_errors(
        form,
        ValidationError(
            {
                "name": ["名前が重複しています。", "名前が長すぎます。"],
                "amount": "数量が多すぎます。",
                "period": "期間が重なっています。",
            }
        ),
    )
    assert form.errors["name"] == ["名前が重複しています。", "名前が長すぎます。"]
    assert form.errors["amount"] == ["数量が多すぎます。"]
    assert form.non_field_errors() == ["期間が重なっています。"]
    assert "name" not in form.cleaned_data and not form.is_valid()


def test_a_list_goes_on_the_whole_form():
    form = _valid_form()
    add_service_errors(form, ValidationError(["一つ目。", "二つ目。"]))
    add_service_errors(form, ValidationError("三つ目。"))
    assert form.non_field_errors() == ["一つ目。", "二つ目。", "三つ目。"]
    assert form.cleaned_data["name"] == "A"
