"""Telephone numbers: the validator on every phone field (model, form, API) and tel: links only for real numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from oversight.core.phones import tel_uri, validate_phone
from oversight.tenancy.models import User, Vendor
from oversight.tickets.models import WorkOrder

GOOD = [
    "13800138000",
    "+86 138 0013 8000",
    "138-0013-8000",
    "010-12345678",
    "(0755) 1234 5678 转 8021",
    "（010）12345678",
    "021-6234 5678",
    "400-800-0001",
    "+44 20 7946 0958",
    "8021",
    "010 1234 5678 ext. 12",
    "13800138000 x9",
]
BAD = ["abc-not-a-phone", "12", "call me", "138 0013 8000 or email", "a@b.cn", "+86++138", "(010 1234567", "1" * 16]


@pytest.mark.parametrize("value", GOOD)
def test_real_numbers_pass(value):
    validate_phone(value)
    assert tel_uri(value).startswith("tel:")


@pytest.mark.parametrize("value", BAD)
def test_text_that_is_no_number_is_refused_and_never_linked(value):
    with pytest.raises(ValidationError) as info:
        validate_phone(value)
    assert info.value.code == "invalid_phone"
    assert tel_uri(value) == ""


def test_the_dialable_link_keeps_the_plus_and_the_extension():
    assert tel_uri("+86 (10) 1234-5678 转 8021") == "tel:+861012345678;ext=8021"
    assert tel_uri("") == ""


def test_every_phone_field_of_the_models_validates():
    for model, name in ((Vendor, "contact_phone"), (User, "phone"), (WorkOrder, "contact_phone")):
        field = model._meta.get_field(name)
        with pytest.raises(ValidationError):
            field.clean("abc-not-a-phone", None)
        assert field.clean("010-12345678", None) == "010-12345678"


def test_the_work_order_detail_links_only_a_real_number():
    template = Template(
        "{% load oversight_ui %}{% with t=phone|tel_uri %}{% if t %}<a href='{{ t }}'>{% endif %}{% endwith %}"
    )
    assert "tel:" not in template.render(Context({"phone": "abc-not-a-phone"}))
    assert "tel:13800138000" in template.render(Context({"phone": "138 0013 8000"}))
