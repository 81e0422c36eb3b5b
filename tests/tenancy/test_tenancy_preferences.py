"""A user's preferences: language and time zone saved with an audit entry, by the rules of the service."""

from __future__ import annotations

import re

import pytest

from oversight.audit.models import AuditEntry
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.tenancy.services import user_update_preferences


def test_preferences_page_saves_language_and_time_zone_with_audit(world, web):
    client = web("requester")
    page = client.get("/preferences/").content.decode()
    assert "Asia/Shanghai" in page
    response = client.post("/preferences/", {"language": "zh-hans", "time_zone": "Europe/Berlin"})
    assert response.status_code == 302
    user = world.users["requester"]
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("zh-hans", "Europe/Berlin")
    entry = AuditEntry.objects.get(action="tenancy.user.preferences_changed")
    assert entry.before == {"language": "en", "time_zone": "Asia/Shanghai"}
    assert entry.after == {"language": "zh-hans", "time_zone": "Europe/Berlin"}
    assert entry.actor == user
    follow = client.get("/preferences/")
    assert follow.content.decode().startswith("<!DOCTYPE html>")
    assert '<html lang="zh-hans"' in follow.content.decode()


def test_preferences_refuse_unknown_zones(world, web):
    response = web("requester").post("/preferences/", {"language": "en", "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    world.users["requester"].refresh_from_db()
    assert world.users["requester"].time_zone == "Asia/Shanghai"


def test_user_update_preferences_rules(world):
    requester = world.users["requester"]
    with pytest.raises(NotAllowed):
        user_update_preferences(actor=world.users["requester_2"], user=requester, language="en", time_zone="UTC")
    with pytest.raises(NotAllowed):
        user_update_preferences(actor=world.users["foreign_admin"], user=requester, language="en", time_zone="UTC")
    with pytest.raises(ApplicationError):
        user_update_preferences(actor=requester, user=requester, language="fr", time_zone="UTC")
    user_update_preferences(actor=world.users["client_admin"], user=requester, language="en", time_zone="UTC")
    requester.refresh_from_db()
    assert requester.time_zone == "UTC"
    count = AuditEntry.objects.filter(action="tenancy.user.preferences_changed").count()
    user_update_preferences(actor=requester, user=requester, language="en", time_zone="UTC")
    assert AuditEntry.objects.filter(action="tenancy.user.preferences_changed").count() == count  # no-op


@pytest.mark.parametrize("zone", ["PRC", "W-SU", "Factory", "Etc/GMT+8", "US/Pacific", "Asia/Calcutta"])
def test_preferences_refuse_legacy_zone_names_with_a_clear_error(world, web, zone):
    response = web("requester").post("/preferences/", {"language": "en", "time_zone": zone})
    assert response.status_code == 400
    assert f"“{zone}” is not a time zone of the list" in response.content.decode()
    with pytest.raises(ApplicationError):
        user_update_preferences(
            actor=world.users["requester"], user=world.users["requester"], language="en", time_zone=zone
        )


def test_preferences_offer_canonical_zones_common_first_named_in_the_readers_language(world, web):
    requester = world.users["requester"]
    requester.language = "zh-hans"
    requester.save(update_fields=["language"])
    page = web("requester").get("/preferences/").content.decode()
    listed = re.search(r'<datalist id="([^"]+)">(.*?)</datalist>', page, re.S)
    assert listed is not None and f'list="{listed.group(1)}"' in page  # searchable as the user types, no script
    values = re.findall(r'<option value="([^"]+)">', listed.group(2))
    assert values[:5] == ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Macau", "Asia/Singapore"]
    assert "UTC" in values[:11] and "Europe/London" in values[:11]
    assert {"PRC", "W-SU", "Factory", "Asia/Chongqing", "Etc/GMT+8", "US/Pacific"}.isdisjoint(values)
    assert "America/Sao_Paulo" in values and "Asia/Kolkata" in values and len(values) > 300
    assert '<option value="Asia/Shanghai">中国（北京时间） (UTC+08:00)</option>' in page
    response = web("requester").post("/preferences/", {"language": "zh-hans", "time_zone": "Asia/Kolkata"})
    assert response.status_code == 302
    requester.refresh_from_db()
    assert requester.time_zone == "Asia/Kolkata"
