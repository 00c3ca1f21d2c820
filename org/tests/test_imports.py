from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from access.roles import Role
from audit.models import AuditEntry
from core.crypto import sm3_hex
from core.errors import DomainError
from org import imports
from org.models import Enterprise, Grid, GridAssignment, ImportBatch, Staff, Village
from org.tests.conftest import valid_credit_code

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


VILLAGE_HEADERS = ["编码*", "名称*", "类型", "户数", "人口", "两委成员"]


@pytest.fixture
def dispatcher(make_user):
    return make_user(Role.DISPATCHER)


def run(town, kind, content, actor, name="数据.xlsx"):
    return imports.run_import(town=town, kind=kind, content=content, file_name=name, actor=actor)


@pytest.mark.django_db
class TestTemplates:
    @pytest.mark.parametrize("kind", list(imports.SPECS))
    def test_template_has_chinese_headers_and_help(self, kind):
        wb = load_workbook(BytesIO(imports.template_workbook(kind)))
        headers = [c.value for c in wb.worksheets[0][1]]
        assert headers[0].endswith("*") and all(any("\u4e00" <= ch <= "\u9fff" for ch in h) for h in headers)
        assert wb.worksheets[1].title == "填写说明"

    def test_template_download(self, client, dispatcher):
        client.force_login(dispatcher)
        response = client.get(reverse("org:import_template", args=["staff"]))
        assert response.status_code == 200 and response["Content-Type"] == XLSX
        assert client.get(reverse("org:import_template", args=["nothing"])).status_code == 404


@pytest.mark.django_db
class TestGoodFiles:
    def test_villages_all_imported_and_audited(self, town, dispatcher):
        content = workbook(VILLAGE_HEADERS, [["V01", "青龙村", "村", 120, 300, "张某、李某"],
                                             ["V02", "清溪社区", "社区", "80", None, None]])
        result = run(town, "villages", content, dispatcher)
        assert (result.rows, result.created, result.updated) == (2, 2, 0)
        assert list(Village.objects.filter(town=town).order_by("code").values_list("name", "kind")) == [
            ("青龙村", "village"), ("清溪社区", "community")]
        assert AuditEntry.objects.filter(action="org.village_create").count() == 2
        summary = AuditEntry.objects.get(action="org.import")
        assert summary.files[0]["sm3"] == sm3_hex(content) == result.batch.file_sm3
        assert summary.after["rows"] == 2 and summary.actor == dispatcher
        assert ImportBatch.objects.get().file_path.startswith(f"org/imports/{town.pk}/")

    def test_reimport_updates_and_blank_cells_keep_values(self, town, dispatcher):
        run(town, "villages", workbook(VILLAGE_HEADERS, [["V01", "青龙村", "村", 120, 300, "张某"]]), dispatcher)
        result = run(town, "villages", workbook(VILLAGE_HEADERS, [["V01", "青龙村", None, 150, None, None],
                                                                  ["V03", "桂花村", None, None, None, None]]),
                     dispatcher)
        assert (result.created, result.updated) == (1, 1)
        village = Village.objects.get(town=town, code="V01")
        assert (village.households, village.population, village.village_committees) == (150, 300, "张某")
        result = run(town, "villages", workbook(VILLAGE_HEADERS, [["V01", "青龙村", None, 150, None, None]]),
                     dispatcher)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)

    def test_grids_staff_and_enterprises(self, town, dispatcher):
        run(town, "villages", workbook(VILLAGE_HEADERS, [["V01", "青龙村"]]), dispatcher)
        run(town, "grids", workbook(["网格编码*", "网格名称*", "村(社区)编码*", "户数", "人口", "边界GeoJSON"], [
            ["G01", "青龙村第一网格", "V01", 300, 800,
             '{"type":"Polygon","coordinates":[[[108,30],[108.01,30],[108.01,30.01],[108,30]]]}'],
        ]), dispatcher)
        grid = Grid.objects.get(town=town, code="G01")
        assert grid.village.code == "V01" and grid.boundary["type"] == "Polygon"
        run(town, "staff", workbook(["工号*", "姓名*", "职务", "手机号", "身份证号", "网格编码", "网格角色"], [
            ["S01", "甲某", "网格员", 13900000001, None, "G01", "专职网格员"],
            ["S02", "乙某", "干部", "13900000002", None, None, None],
        ]), dispatcher)
        assert Staff.objects.get(code="S01").phone == "13900000001"
        assert GridAssignment.objects.get(staff__code="S01").role == "grid_worker_fulltime"
        code = valid_credit_code("91999901MA0000011")
        run(town, "enterprises", workbook(
            ["统一社会信用代码*", "企业名称*", "行业", "所在网格编码", "联系干部工号", "法定代表人", "联系电话", "地址",
             "纬度", "经度"],
            [[code, "某某农业有限公司", "种养殖", "G01", "S02", "丙某", "13900000003", "青龙村1号", 30.005, 108.005]]),
            dispatcher)
        ent = Enterprise.objects.get(town=town)
        assert ent.liaison.code == "S02" and ent.grid == grid and ent.contact_phone == "13900000003"


@pytest.mark.django_db
class TestBadFiles:
    def test_one_bad_row_imports_nothing(self, town, dispatcher):
        before = AuditEntry.objects.count()
        content = workbook(VILLAGE_HEADERS, [
            ["V01", "青龙村", "村", 120, 300],
            ["V02", "", "村", 10, 20],          # no name
            ["V03", "白鹤村", "镇", 10, 20],     # bad kind
            ["V04", "桂花村", "村", -5, 20],     # negative households
            ["V01", "重复村", "村", 1, 1],       # duplicate code in the file
            ["V 5", "双河村", "村", 1, 1],       # bad code
        ])
        with pytest.raises(imports.ImportFailed) as exc:
            run(town, "villages", content, dispatcher)
        errors = [(e.row, e.column) for e in exc.value.errors]
        assert errors == [(3, "名称"), (4, "类型"), (5, "户数"), (6, "编码"), (7, "编码")]
        messages = [e.message for e in exc.value.errors]
        assert "名称不能为空。" in messages and any("第 2 行重复" in m for m in messages)
        assert all("org." not in m for m in messages)
        assert not Village.objects.exists() and not ImportBatch.objects.exists()
        assert AuditEntry.objects.count() == before

    def test_reference_errors(self, town, dispatcher):
        with pytest.raises(imports.ImportFailed) as exc:
            run(town, "grids", workbook(["网格编码*", "网格名称*", "村(社区)编码*"], [["G01", "网格", "V99"]]),
                dispatcher)
        assert exc.value.errors[0].column == "村(社区)编码" and "V99" in exc.value.errors[0].message

    def test_staff_errors(self, town, dispatcher):
        with pytest.raises(imports.ImportFailed) as exc:
            run(town, "staff", workbook(["工号*", "姓名*", "手机号", "身份证号", "网格编码", "网格角色"], [
                ["S01", "甲某", "123", None, None, None],
                ["S02", "乙某", None, "999999199003070000", None, None],
                ["S03", "丙某", None, None, "G01", None],
                ["S04", "丁某", None, None, None, "队长"],
            ]), dispatcher)
        assert [(e.row, e.column) for e in exc.value.errors] == [(2, "手机号"), (3, "身份证号"), (4, "网格角色"),
                                                                 (5, "网格编码")]
        assert not Staff.objects.exists()

    @pytest.mark.parametrize("name,content,expected", [
        ("data.xls", b"\xd0\xcf\x11\xe0", ".xlsx"),
        ("data.csv", b"code,name\n", ".xlsx"),
        ("data.xlsx", b"PK\x03\x04not really a zip", "不是有效"),
        ("data.xlsx", b"hello", "不是有效"),
    ])
    def test_not_xlsx(self, town, dispatcher, name, content, expected):
        with pytest.raises(DomainError) as exc:
            run(town, "villages", content, dispatcher, name=name)
        assert expected in exc.value.message

    def test_too_large(self, town, dispatcher, monkeypatch):
        monkeypatch.setattr(imports, "MAX_BYTES", 100)
        with pytest.raises(DomainError) as exc:
            run(town, "villages", workbook(VILLAGE_HEADERS, [["V01", "青龙村"]]), dispatcher)
        assert exc.value.rule == "org.import.size"

    def test_missing_columns_and_empty(self, town, dispatcher):
        with pytest.raises(DomainError) as exc:
            run(town, "villages", workbook(["编码"], [["V01"]]), dispatcher)
        assert "名称" in exc.value.message
        with pytest.raises(DomainError) as exc:
            run(town, "villages", workbook(VILLAGE_HEADERS, []), dispatcher)
        assert exc.value.rule == "org.import.empty"


@pytest.mark.django_db
class TestImportPage:
    def upload(self, client, content, kind="villages", name="村社区.xlsx"):
        return client.post(reverse("org:import_index"), {
            "kind": kind, "file": SimpleUploadedFile(name, content, content_type=XLSX)})

    def test_bad_rows_are_listed_and_downloadable(self, client, dispatcher, django_assert_max_num_queries):
        client.force_login(dispatcher)
        response = self.upload(client, workbook(VILLAGE_HEADERS, [["V01", ""], ["V02", "白鹤村", "镇"]]))
        body = response.content.decode()
        assert response.status_code == 200 and 'data-testid="import-errors"' in body
        assert "名称不能为空" in body and "未导入任何数据" in body
        assert not Village.objects.exists()
        report = client.get(reverse("org:import_errors"))
        assert report.status_code == 200 and report["Content-Type"] == XLSX
        rows = list(load_workbook(BytesIO(report.content)).active.iter_rows(values_only=True))
        assert rows[1] == ("行号", "列", "问题") and rows[2][:2] == (2, "名称")

    def test_good_file_redirects_with_message(self, client, dispatcher):
        client.force_login(dispatcher)
        response = self.upload(client, workbook(VILLAGE_HEADERS, [["V01", "青龙村"]]))
        assert response.status_code == 302
        page = client.get(response["Location"])
        assert "导入成功" in page.content.decode() and Village.objects.count() == 1
        assert client.get(reverse("org:import_errors")).status_code == 302  # nothing to download

    def test_wrong_format_message(self, client, dispatcher):
        client.force_login(dispatcher)
        response = self.upload(client, b"a,b\n", name="data.csv")
        assert response.status_code == 200 and "只能导入 .xlsx" in response.content.decode()

    def test_page_queries(self, client, dispatcher, django_assert_max_num_queries):
        client.force_login(dispatcher)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("org:import_index")).status_code == 200

    def test_forbidden(self, client, make_user):
        client.force_login(make_user(Role.POST_HOLDER))
        assert client.get(reverse("org:import_index")).status_code == 403
