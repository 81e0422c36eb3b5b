"""The demo hospital's helpdesk mailbox: a maildir with eight sample mails, polled once through the real services,
so the mail log shows every outcome.

`load_demo_mail(organisation)` is idempotent (an organisation that already has a mailbox is left alone). It copies
the samples of ``demo_mail/`` into ``<var>/demo-mail/<organisation code>-<random>/new/`` (filling in the demo people's
addresses, the number of an open work order and the date), creates the mailbox 信息科服务台邮箱 (a maildir, new
work orders filed under the 电脑故障 service, unknown senders quarantined) and polls it:

* 01: a new request in Chinese (GB2312 subject and body) → a work order;
* 02: a new request in English, HTML only → a work order with the text of the HTML;
* 03: a request with a screenshot attached → a work order with its attachment;
* 04: a reply naming a demo work order in its subject → a public comment by its requester;
* 05: an out-of-office reply (Auto-Submitted) and 06: a bounce (multipart/report) → ignored, no loop;
* 07: the same mail as 01 again → recorded once (received twice), no second work order;
* 08: an advertisement from an unknown sender → quarantined, to be processed again or discarded.
"""

from __future__ import annotations

import mailbox as mailbox_lib
import tempfile
from email.utils import format_datetime
from pathlib import Path

from django.conf import settings

from oversight.catalog.models import Service
from oversight.core import clock
from oversight.mailintake import services
from oversight.mailintake.models import InboundMail, Mailbox
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tickets.choices import FINAL_STATUSES
from oversight.tickets.models import WorkOrder

SAMPLES = Path(__file__).resolve().parent / "demo_mail"
PEOPLE = ("nurse3", "nurse4", "nurse5", "doctor1")


def _fill(raw: bytes, values: dict[str, str]) -> bytes:
    for key, value in values.items():
        raw = raw.replace(b"{{" + key.encode() + b"}}", value.encode("utf-8"))
    return raw


def load_demo_mail(organisation) -> list[InboundMail]:
    """Create (once) the demo mailbox with its sample mails and poll it; return the mails recorded."""
    if Mailbox.objects.filter(organisation=organisation).exists():
        return list(InboundMail.objects.filter(mailbox__organisation=organisation))
    admins = User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN, is_active=True)
    admin = admins.order_by("pk").first()
    service = Service.objects.filter(organisation=organisation, code="pc", is_active=True).first()
    people = {u.username: u for u in User.objects.filter(organisation=organisation, username__in=PEOPLE)}
    replied = (
        WorkOrder.objects.filter(organisation=organisation, requester__role=Role.REQUESTER, requester__is_active=True)
        .exclude(status__in=FINAL_STATUSES)
        .exclude(requester__email="")
        .select_related("requester")
        .order_by("-created_at", "-pk")
        .first()
    )
    if admin is None or service is None or replied is None or set(people) != set(PEOPLE):
        return []
    # A folder of its own for each load: two demo loads (parallel test workers) never read each other's mails.
    parent = Path(settings.VAR_DIR) / "demo-mail"
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{organisation.code}-", dir=parent))
    for part in ("tmp", "new", "cur"):
        (folder / part).mkdir()
    maildir = mailbox_lib.Maildir(str(folder), create=False)
    values = {name: people[name].email for name in PEOPLE}
    values.update(
        {
            "number": replied.number,
            "reply_from": replied.requester.email,
            "date": format_datetime(clock.now()),
        }
    )
    for sample in sorted(SAMPLES.glob("*.eml")):
        maildir.add(mailbox_lib.MaildirMessage(_fill(sample.read_bytes(), values)))
    mailbox = services.mailbox_save(
        mailbox=Mailbox(
            organisation=organisation,
            name="信息科服务台邮箱",
            address="helpdesk@cfph.example.org",
            kind="maildir",
            path=str(folder),
            service=service,
        ),
        fields=None,
        actor=admin,
    )
    services.mailbox_poll(mailbox_id=mailbox.pk)
    return list(InboundMail.objects.filter(mailbox=mailbox))
