"""Demo CMDB of the demo hospital (市第一人民医院), made through the real services.

`load_demo_configuration(organisation)` is idempotent (an organisation that already has CIs is left alone) and
records the hospital's CI graph, owned by the demo vendors:

* HIS 应用支持 (``his``): the HIS application on two application servers, the LIS and PACS applications and the
  HIS database cluster (three nodes, a redundancy group that works while 2 of 3 are up; one node is under
  maintenance, so the cluster still shields the HIS);
* 网络运维 (``net``): the two core switches (a pair: at least 1 up) and the ward access switches;
* 桌面运维 (``desk``): the wards' nurse-station workstations and printers, and the medical-device interfaces
  (the biochemistry analyser, the CT modality gateway); one ward printer is down;
* the client's own business services: 门诊挂号, 住院护理, 检验报告, 影像诊断, each depending on the
  applications that serve it.
"""

from __future__ import annotations

import datetime as dt

from oversight.configuration import services, spotchecks
from oversight.configuration.choices import CIAction
from oversight.configuration.models import CIClass, ConfigurationItem, RelationType
from oversight.contracts.models import Contract
from oversight.core import zones
from oversight.tenancy.choices import Role
from oversight.tenancy.models import Site, User, Vendor

# key, class, name, English name, vendor code, site code, host name, serial, asset tag
ITEMS = [
    ("svc-reg", "business_service", "门诊挂号", "Outpatient registration", None, "opd", "", "", ""),
    ("svc-ward", "business_service", "住院护理", "Inpatient nursing", None, "inpatient", "", "", ""),
    ("svc-lab", "business_service", "检验报告", "Laboratory reports", None, "lab", "", "", ""),
    ("svc-img", "business_service", "影像诊断", "Imaging diagnosis", None, "radiology", "", "", ""),
    ("his", "application", "HIS 医院信息系统", "HIS", "his", "server-room", "", "", ""),
    ("lis", "application", "LIS 检验信息系统", "LIS", "his", "server-room", "", "", ""),
    ("pacs", "application", "PACS 影像系统", "PACS", "his", "server-room", "", "", ""),
    (
        "his-app-01",
        "server",
        "HIS 应用服务器 01",
        "HIS application server 01",
        "his",
        "server-room",
        "his-app-01",
        "SRV-HIS-01",
        "ZC-S-0001",
    ),
    (
        "his-app-02",
        "server",
        "HIS 应用服务器 02",
        "HIS application server 02",
        "his",
        "server-room",
        "his-app-02",
        "SRV-HIS-02",
        "ZC-S-0002",
    ),
    ("pacs-srv", "server", "PACS 服务器", "PACS server", "his", "server-room", "pacs-01", "SRV-PACS-01", "ZC-S-0003"),
    (
        "his-db-01",
        "database",
        "HIS 数据库节点 01",
        "HIS database node 01",
        "his",
        "server-room",
        "his-db-01",
        "DB-HIS-01",
        "ZC-S-0011",
    ),
    (
        "his-db-02",
        "database",
        "HIS 数据库节点 02",
        "HIS database node 02",
        "his",
        "server-room",
        "his-db-02",
        "DB-HIS-02",
        "ZC-S-0012",
    ),
    (
        "his-db-03",
        "database",
        "HIS 数据库节点 03",
        "HIS database node 03",
        "his",
        "server-room",
        "his-db-03",
        "DB-HIS-03",
        "ZC-S-0013",
    ),
    (
        "core-sw-1",
        "network_device",
        "核心交换机 A",
        "Core switch A",
        "net",
        "server-room",
        "core-sw-a",
        "SW-CORE-A",
        "ZC-N-0001",
    ),
    (
        "core-sw-2",
        "network_device",
        "核心交换机 B",
        "Core switch B",
        "net",
        "server-room",
        "core-sw-b",
        "SW-CORE-B",
        "ZC-N-0002",
    ),
    (
        "ward-sw",
        "network_device",
        "住院楼接入交换机",
        "Ward building access switch",
        "net",
        "ward-bldg",
        "acc-sw-ward",
        "SW-ACC-W1",
        "ZC-N-0101",
    ),
    (
        "opd-sw",
        "network_device",
        "门诊楼接入交换机",
        "Outpatient building access switch",
        "net",
        "opd-bldg",
        "acc-sw-opd",
        "SW-ACC-O1",
        "ZC-N-0102",
    ),
    (
        "ws-ward-1",
        "workstation",
        "一病区护士站电脑",
        "Ward 1 nurse-station PC",
        "desk",
        "ward-1-station",
        "ws-w1-01",
        "PC-W1-01",
        "ZC-D-1001",
    ),
    (
        "ws-ward-2",
        "workstation",
        "二病区护士站电脑",
        "Ward 2 nurse-station PC",
        "desk",
        "ward-2",
        "ws-w2-01",
        "PC-W2-01",
        "ZC-D-1002",
    ),
    (
        "ws-cashier",
        "workstation",
        "门诊收费处电脑",
        "Outpatient cashier PC",
        "desk",
        "opd-cashier",
        "ws-opd-cash-01",
        "PC-OPD-01",
        "ZC-D-1003",
    ),
    (
        "pr-ward-1",
        "printer",
        "一病区腕带打印机",
        "Ward 1 wristband printer",
        "desk",
        "ward-1-station",
        "",
        "PR-W1-01",
        "ZC-D-2001",
    ),
    (
        "pr-cashier",
        "printer",
        "门诊收费处票据打印机",
        "Outpatient receipt printer",
        "desk",
        "opd-cashier",
        "",
        "PR-OPD-01",
        "ZC-D-2002",
    ),
    (
        "mdi-biochem",
        "medical_interface",
        "生化分析仪接口",
        "Biochemistry analyser interface",
        "desk",
        "lab-biochem",
        "mdi-biochem",
        "MDI-LAB-01",
        "ZC-M-0001",
    ),
    (
        "mdi-ct",
        "medical_interface",
        "CT 影像网关",
        "CT modality gateway",
        "desk",
        "ct-room",
        "mdi-ct",
        "MDI-CT-01",
        "ZC-M-0002",
    ),
]

# source key, relation code, target key
RELATIONS = [
    ("svc-reg", "depends_on", "his"),
    ("svc-reg", "depends_on", "ws-cashier"),
    ("svc-reg", "depends_on", "pr-cashier"),
    ("svc-ward", "depends_on", "his"),
    ("svc-ward", "depends_on", "ws-ward-1"),
    ("svc-ward", "depends_on", "ws-ward-2"),
    ("svc-ward", "depends_on", "pr-ward-1"),
    ("svc-lab", "depends_on", "lis"),
    ("svc-img", "depends_on", "pacs"),
    ("his", "runs_on", "his-app-01"),
    ("his", "runs_on", "his-app-02"),
    ("his", "depends_on", "his-db-01"),
    ("his", "depends_on", "his-db-02"),
    ("his", "depends_on", "his-db-03"),
    ("lis", "runs_on", "his-app-02"),
    ("lis", "depends_on", "mdi-biochem"),
    ("pacs", "runs_on", "pacs-srv"),
    ("pacs", "depends_on", "mdi-ct"),
    ("his-app-01", "connected_to", "core-sw-1"),
    ("his-app-01", "connected_to", "core-sw-2"),
    ("his-app-02", "connected_to", "core-sw-1"),
    ("his-app-02", "connected_to", "core-sw-2"),
    ("pacs-srv", "connected_to", "core-sw-1"),
    ("his-db-01", "connected_to", "core-sw-1"),
    ("his-db-02", "connected_to", "core-sw-2"),
    ("his-db-03", "connected_to", "core-sw-2"),
    ("ward-sw", "connected_to", "core-sw-1"),
    ("ward-sw", "connected_to", "core-sw-2"),
    ("opd-sw", "connected_to", "core-sw-1"),
    ("opd-sw", "connected_to", "core-sw-2"),
    ("ws-ward-1", "connected_to", "ward-sw"),
    ("ws-ward-2", "connected_to", "ward-sw"),
    ("pr-ward-1", "connected_to", "ws-ward-1"),
    ("ws-cashier", "connected_to", "opd-sw"),
    ("pr-cashier", "connected_to", "ws-cashier"),
]


def load_demo_configuration(organisation) -> list[ConfigurationItem]:
    """Record the demo hospital's CI graph once (see the module docstring); returns the CIs it made."""
    if ConfigurationItem.objects.filter(organisation=organisation).exists():
        return []
    admin = (
        User.objects.filter(organisation=organisation, role=Role.CLIENT_ADMIN, is_active=True).order_by("pk").first()
    )
    # The demo scenario creates its organisation without tenancy's service, so no organisation-created event
    # seeded the classes (and with a worker the handler may not have run yet); seeding is idempotent.
    services.ci_classes_seed(actor=admin, organisation=organisation)
    classes = {c.code: c for c in CIClass.objects.filter(organisation=organisation)}
    vendors = {v.code: v for v in Vendor.objects.filter(organisation=organisation)}
    sites = {s.code: s for s in Site.objects.filter(organisation=organisation)}
    contracts = {}
    for contract in Contract.objects.filter(organisation=organisation).order_by("pk"):
        contracts.setdefault(contract.vendor_id, contract)
    made: dict[str, ConfigurationItem] = {}
    for key, kind, name, name_en, vendor_code, site_code, host, serial, tag in ITEMS:
        vendor = vendors.get(vendor_code) if vendor_code else None
        made[key] = services.ci_create(
            actor=admin,
            ci_class=classes[kind],
            name=name,
            name_en=name_en,
            vendor=vendor,
            site=sites.get(site_code),
            host_name=host,
            serial=serial,
            asset_tag=tag,
            support_contract=contracts.get(vendor.pk) if vendor else None,
        )
    types = {t.code: t for t in RelationType.objects.all()}
    for source, code, target in RELATIONS:
        services.ci_relation_create(actor=admin, source=made[source], relation_type=types[code], target=made[target])
    services.redundancy_group_create(
        actor=admin,
        name="HIS 数据库集群",
        name_en="HIS database cluster",
        min_up=2,
        members=[made["his-db-01"], made["his-db-02"], made["his-db-03"]],
    )
    services.redundancy_group_create(
        actor=admin,
        name="核心交换机对",
        name_en="Core switch pair",
        min_up=1,
        members=[made["core-sw-1"], made["core-sw-2"]],
    )
    services.redundancy_group_create(
        actor=admin,
        name="HIS 应用服务器池",
        name_en="HIS application server pool",
        min_up_percent=50,
        members=[made["his-app-01"], made["his-app-02"]],
    )
    # Today: one database node is under maintenance (the cluster still has 2 of 3 up), a ward printer is down.
    services.ci_transition(actor=admin, ci=made["his-db-03"], action=CIAction.START_MAINTENANCE)
    services.ci_transition(actor=admin, ci=made["pr-ward-1"], action=CIAction.FAIL)
    _demo_spot_checks(admin, organisation, made)
    return list(made.values())


def _demo_spot_checks(admin, organisation, made: dict[str, ConfigurationItem]) -> None:
    """A spot check of each vendor's CIs 20 days ago: name, serial and site of up to four CIs, the site of the
    last one found wrong (CMDB accuracy is then below 100 % for every vendor that owns CIs)."""
    day = zones.local_today(organisation) - dt.timedelta(days=20)
    by_vendor: dict[int, list[ConfigurationItem]] = {}
    for key in sorted(made):
        if made[key].vendor_id:
            by_vendor.setdefault(made[key].vendor_id, []).append(made[key])
    for cis in by_vendor.values():
        sample = cis[:4]
        results = [(ci, field, True) for ci in sample for field in ("name", "serial")]
        results += [(ci, "site", ci is not sample[-1]) for ci in sample]
        spotchecks.spot_check_record(actor=admin, vendor=sample[0].vendor, checked_on=day, results=results)
