"""/api/v1/course-products, /courses, /course-modules, /lessons, /lesson-files and
/announcements: course content through the API.

Rules: the pages' people and rules — owners and admins read and change; supervisors and
attendants read; everyone else gets 403; another workspace's objects are 404. Refusals
are 422 in the API's error format with the action's code, and change nothing.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ascend.api.tests.helpers import assert_error, bearer_client, send, token_for
from ascend.courses import actions_content as actions
from ascend.courses.models import Announcement, AnnouncementDismissal, Lesson, LessonFile, Product
from ascend.testing import assert_flat_queries, count_queries

from .course_world import course_tree, give, product

pytestmark = pytest.mark.django_db

READERS = ["owner", "admin", "supervisor", "attendant"]
REFUSED = ["coach", "head_coach", "auditor", "operator", "client"]


def api(cast, who: str = "admin", crew: str = "alpha"):  # type: ignore[no-untyped-def]
    person = getattr(getattr(cast, crew), who)
    return bearer_client(token_for(person), person.workspace)


@pytest.fixture
def tree(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=2, lessons=2)
    (stored,) = actions.do_add_lesson_files(
        lessons[0], actor=None, files=[SimpleUploadedFile("sheet.pdf", b"%PDF sheet")]
    )
    note = actions.do_save_announcement(cast.alpha.workspace, actor=None, title="Hello")
    return made, lessons, stored, note


def _reads(tree) -> list[str]:  # type: ignore[no-untyped-def]
    made, lessons, stored, note = tree
    lesson = lessons[0]
    return [
        "/api/v1/course-products",
        f"/api/v1/course-products/{made.pk}",
        "/api/v1/courses",
        f"/api/v1/courses/{lesson.module.course_id}",
        "/api/v1/course-modules",
        f"/api/v1/course-modules/{lesson.module_id}",
        "/api/v1/lessons",
        f"/api/v1/lessons/{lesson.pk}",
        f"/api/v1/lesson-files/{stored.pk}",
        "/api/v1/announcements",
        f"/api/v1/announcements/{note.pk}",
    ]


def _writes(tree) -> list[tuple[str, str, dict | None]]:  # type: ignore[no-untyped-def]
    made, lessons, stored, note = tree
    lesson = lessons[1]
    return [
        ("post", "/api/v1/course-products", {"name": "New"}),
        ("patch", f"/api/v1/course-products/{made.pk}", {"name": "Renamed"}),
        ("post", "/api/v1/courses", {"product": made.pk, "title": "New"}),
        ("patch", f"/api/v1/courses/{lesson.module.course_id}", {"title": "Renamed"}),
        ("post", "/api/v1/course-modules", {"course": lesson.module.course_id, "title": "New"}),
        ("patch", f"/api/v1/course-modules/{lesson.module_id}", {"title": "Renamed"}),
        ("post", f"/api/v1/course-modules/{lesson.module_id}/move", {"direction": "down"}),
        ("post", "/api/v1/lessons", {"module": lesson.module_id, "title": "New"}),
        ("patch", f"/api/v1/lessons/{lesson.pk}", {"title": "Renamed"}),
        ("post", f"/api/v1/lessons/{lesson.pk}/move", {"direction": "up"}),
        ("delete", f"/api/v1/lesson-files/{stored.pk}", None),
        ("delete", f"/api/v1/lessons/{lesson.pk}", None),
        ("post", "/api/v1/announcements", {"title": "New"}),
        ("patch", f"/api/v1/announcements/{note.pk}", {"is_enabled": True}),
        ("delete", f"/api/v1/announcements/{note.pk}", None),
        ("delete", f"/api/v1/course-modules/{lesson.module_id}", None),
        ("delete", f"/api/v1/courses/{lesson.module.course_id}", None),
        ("delete", f"/api/v1/course-products/{made.pk}", None),
    ]


def _snapshot() -> tuple:
    return (
        list(Product.objects.values_list("name", flat=True)),
        list(Lesson.objects.order_by("id").values_list("title", "position")),
        LessonFile.objects.count(),
        list(Announcement.objects.values_list("title", "is_enabled")),
    )


# Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_managers_supervisors_and_attendants_read_the_content(cast, tree, who):
    client = api(cast, who)
    for url in _reads(tree):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", REFUSED)
def test_other_roles_are_refused_reading(cast, tree, who):
    client = api(cast, who)
    for url in _reads(tree):
        assert_error(client.get(url), 403, "forbidden")


@pytest.mark.parametrize("who", ["supervisor", "attendant", "coach", "client"])
def test_only_owners_and_admins_change_content(cast, tree, who):
    before = _snapshot()
    client = api(cast, who)
    for method, url, body in _writes(tree):
        assert_error(send(client, method, url, body), 403, "forbidden")
    assert _snapshot() == before


def test_an_admin_makes_every_change(cast, tree):
    client = api(cast, "admin")
    for method, url, body in _writes(tree):
        response = send(client, method, url, body)
        assert response.status_code in (200, 201, 204), (url, response.content)


def test_another_workspace_sees_none_of_this_content(cast, tree):
    before = _snapshot()
    client = api(cast, "admin", crew="beta")
    for url in _reads(tree):
        response = client.get(url)
        if url.rsplit("/", 1)[-1].isdigit():
            assert_error(response, 404, "not_found")
        else:
            assert response.json() == [], url
    for method, url, body in _writes(tree):
        if method == "post" and not url.endswith("/move"):
            continue  # creating refers to alpha's parents by id: checked below
        assert_error(send(client, method, url, body), 404, "not_found")
    made, lessons = tree[0], tree[1]
    fields = assert_error(
        send(client, "post", "/api/v1/courses", {"product": made.pk, "title": "X"}),
        422,
        "not_found",
    )
    assert "product" in fields
    assert_error(
        send(client, "post", "/api/v1/lessons", {"module": lessons[0].module_id, "title": "X"}),
        422,
        "not_found",
    )
    assert _snapshot() == before


def test_a_token_of_another_workspace_is_refused_here(cast, tree):
    token = token_for(cast.beta.owner)
    client = bearer_client(token, cast.alpha.workspace)
    response = client.get("/api/v1/course-products")
    assert response.status_code in (401, 404)
    assert response.json()["error"]["code"] in ("not_authenticated", "not_found")


# Products ---------------------------------------------------------------------------------


def test_products_are_listed_with_their_counts(cast, tree):
    give(cast.alpha.client.membership, tree[0])
    product(cast.alpha.workspace, "Another", price="9.5", currency="EUR")
    body = api(cast).get("/api/v1/course-products").json()
    assert [(p["name"], p["courses_count"], p["lessons_count"], p["learners_count"],
             p["price"]) for p in body] == [
        ("Another", 0, 0, 0, "9.50"), ("Strength Academy", 1, 4, 1, "0.00"),
    ]  # fmt: skip


def test_the_product_list_stays_flat_as_products_grow(cast, tree):
    client = api(cast)

    def grow() -> None:
        for n in range(4):
            made, _ = course_tree(cast.alpha.workspace, name=f"More {n}")
            give(cast.alpha.client.membership, made)

    client.get("/api/v1/course-products")  # the token's first use is stamped once
    assert_flat_queries(lambda: client.get("/api/v1/course-products"), grow)


def test_a_product_is_created_changed_and_deleted(cast):
    client = api(cast)
    body = {"name": "Yoga", "price": "19.90", "currency": "eur", "access_days": 30}
    response = send(client, "post", "/api/v1/course-products", body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["price"], made["currency"], made["access_days"], made["is_active"]) == (
        "19.90", "EUR", 30, True,
    )  # fmt: skip
    url = f"/api/v1/course-products/{made['id']}"
    changed = send(client, "patch", url, {"access_days": None, "is_active": False}).json()
    assert (changed["name"], changed["access_days"], changed["is_active"]) == ("Yoga", None, False)
    assert send(client, "delete", url).status_code == 204
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"name": ""}, "name_required", "name"),
        ({"name": "Yoga", "price": "-1"}, "price_negative", "price"),
        ({"name": "Yoga", "price": 1.234}, "invalid_price", "price"),
        ({"name": "Yoga", "currency": "E1"}, "invalid_currency", "currency"),
        ({"name": "Yoga", "access_days": 0}, "access_days_out_of_range", "access_days"),
        ({"name": "Taken"}, "duplicate", "name"),
        ({"name": "Yoga", "price": "abc"}, "validation_error", "price"),
    ],
)
def test_a_bad_product_is_refused_with_its_code(cast, body, code, field):
    product(cast.alpha.workspace, "Taken")
    fields = assert_error(send(api(cast), "post", "/api/v1/course-products", body), 422, code)
    assert field in fields
    assert list(Product.objects.values_list("name", flat=True)) == ["Taken"]


def test_a_null_for_a_required_field_is_refused(cast, tree):
    url = f"/api/v1/course-products/{tree[0].pk}"
    assert_error(send(api(cast), "patch", url, {"name": None}), 422, "required")


def test_a_product_with_learners_is_not_deleted(cast, tree):
    give(cast.alpha.client.membership, tree[0])
    url = f"/api/v1/course-products/{tree[0].pk}"
    assert_error(send(api(cast), "delete", url), 422, "product_has_learners")
    assert Product.objects.filter(pk=tree[0].pk).exists()


# Courses, modules, lessons -----------------------------------------------------------------


def test_the_outline_is_built_and_reordered_through_the_api(cast):
    client = api(cast)
    made = send(client, "post", "/api/v1/course-products", {"name": "Run"}).json()
    course = send(client, "post", "/api/v1/courses", {"product": made["id"], "title": "5k"}).json()
    assert course["position"] == 0
    first = send(client, "post", "/api/v1/course-modules",
                 {"course": course["id"], "title": "Week 1"}).json()  # fmt: skip
    week_2 = {"course": course["id"], "title": "Week 2", "release_after_days": 7}
    second = send(client, "post", "/api/v1/course-modules", week_2).json()
    assert (second["position"], second["release_after_days"]) == (1, 7)
    moved = send(client, "post", f"/api/v1/course-modules/{second['id']}/move",
                 {"direction": "up"}).json()  # fmt: skip
    assert moved == {"moved": True, "position": 0}
    again = send(client, "post", f"/api/v1/course-modules/{second['id']}/move",
                 {"direction": "up"}).json()  # fmt: skip
    assert again == {"moved": False, "position": 0}
    listed = client.get(f"/api/v1/course-modules?course={course['id']}").json()
    assert [(m["title"], m["position"]) for m in listed] == [("Week 2", 0), ("Week 1", 1)]
    assert first["id"] in [m["id"] for m in listed]


def test_a_lesson_is_added_with_its_text_sanitised_for_showing(cast, tree):
    module = tree[1][0].module
    response = send(api(cast), "post", "/api/v1/lessons", {
        "module": module.pk, "title": "Breathing", "video_url": "https://vimeo.com/76979871",
        "body": "**Breathe** <script>alert(1)</script>", "release_after_days": 3,
        "comments_enabled": False,
    })  # fmt: skip
    assert response.status_code == 201, response.content
    lesson = response.json()
    assert lesson["embed_url"] == "https://player.vimeo.com/video/76979871"
    assert lesson["body"] == "**Breathe** <script>alert(1)</script>"
    assert "<strong>Breathe</strong>" in lesson["body_html"]
    assert "<script" not in lesson["body_html"]
    assert (lesson["position"], lesson["release_after_days"], lesson["comments_enabled"]) == (
        2, 3, False,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"title": "  "}, "title_required", "title"),
        ({"title": "Ok", "video_url": "https://evil.example.com/x.mp4"}, "unsafe_video_url",
         "video_url"),
        ({"title": "Ok", "video_url": "http://youtu.be/dQw4w9WgXcQ"}, "unsafe_video_url",
         "video_url"),
        ({"title": "Ok", "release_after_days": 3651}, "release_days_out_of_range",
         "release_after_days"),
        ({"title": "Ok", "release_after_days": -1}, "release_days_out_of_range",
         "release_after_days"),
    ],
)  # fmt: skip
def test_a_bad_lesson_is_refused_and_nothing_changes(cast, tree, body, code, field):
    before = _snapshot()
    client = api(cast)
    module = tree[1][0].module
    fields = assert_error(
        send(client, "post", "/api/v1/lessons", {"module": module.pk, **body}), 422, code
    )
    assert field in fields
    lesson = tree[1][0]
    assert_error(send(client, "patch", f"/api/v1/lessons/{lesson.pk}", body), 422, code)
    assert _snapshot() == before


def test_the_lesson_list_stays_flat_as_lessons_and_files_grow(cast, tree):
    client = api(cast)
    module = tree[1][0].module

    def grow() -> None:
        for n in range(5):
            lesson = actions.do_save_lesson(module, actor=None, title=f"More {n}")
            actions.do_add_lesson_files(
                lesson, actor=None, files=[SimpleUploadedFile(f"f{n}.pdf", b"x")]
            )

    client.get("/api/v1/lessons")  # the token's first use is stamped once
    assert_flat_queries(lambda: client.get("/api/v1/lessons"), grow)
    # workspace, token, membership, lessons, their files
    count, _ = count_queries(lambda: client.get(f"/api/v1/lessons?module={module.pk}"))
    assert count == 5


def test_files_are_uploaded_downloaded_and_removed(cast, tree):
    client = api(cast)
    lesson = tree[1][1]
    response = client.post(
        f"/api/v1/lessons/{lesson.pk}/files",
        {"files": [SimpleUploadedFile("a.pdf", b"A"), SimpleUploadedFile("b.txt", b"BB")]},
    )
    assert response.status_code == 201, response.content
    files = response.json()["files"]
    assert [(f["name"], f["size"]) for f in files] == [("a.pdf", 1), ("b.txt", 2)]
    download = api(cast, "attendant").get(f"/api/v1/lesson-files/{files[1]['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"BB"
    assert download["Content-Type"] == "application/octet-stream"
    assert send(client, "delete", f"/api/v1/lesson-files/{files[0]['id']}").status_code == 204
    assert list(lesson.files.values_list("name", flat=True)) == ["b.txt"]


def test_a_file_type_not_allowed_is_refused_and_none_is_kept(cast, tree):
    lesson = tree[1][1]
    response = api(cast).post(
        f"/api/v1/lessons/{lesson.pk}/files",
        {"files": [SimpleUploadedFile("a.pdf", b"A"), SimpleUploadedFile("x.exe", b"MZ")]},
    )
    assert "files" in assert_error(response, 422, "file_type_not_allowed")
    assert_error(api(cast).post(f"/api/v1/lessons/{lesson.pk}/files"), 422, "no_files")
    assert not lesson.files.exists()


# Announcements ----------------------------------------------------------------------------


def test_an_announcement_is_written_enabled_changed_and_deleted(cast, tree):
    client = api(cast)
    made = tree[0]
    response = send(client, "post", "/api/v1/announcements",
                    {"title": "New", "body": "Week *5*", "product": made.pk})  # fmt: skip
    assert response.status_code == 201, response.content
    note = response.json()
    assert (note["is_enabled"], note["product_id"], note["dismissed_count"]) == (
        False, made.pk, 0,
    )  # fmt: skip
    assert "<em>5</em>" in note["body_html"]
    url = f"/api/v1/announcements/{note['id']}"
    AnnouncementDismissal.objects.create(
        workspace=cast.alpha.workspace, announcement_id=note["id"],
        learner=cast.alpha.client.membership,
    )  # fmt: skip
    changed = send(client, "patch", url, {"is_enabled": True, "product": None}).json()
    assert (changed["is_enabled"], changed["product_id"], changed["dismissed_count"]) == (
        True, None, 1,
    )  # fmt: skip
    shown = client.get("/api/v1/announcements?enabled=true").json()
    assert [a["id"] for a in shown] == [note["id"]]
    assert send(client, "delete", url).status_code == 204
    assert not Announcement.objects.filter(pk=note["id"]).exists()


def test_an_announcement_may_be_written_enabled_at_once(cast):
    note = send(api(cast), "post", "/api/v1/announcements",
                {"title": "Now", "is_enabled": True}).json()  # fmt: skip
    assert note["is_enabled"] is True


def test_a_bad_announcement_is_refused(cast, tree):
    client = api(cast)
    theirs = product(cast.beta.workspace, "Theirs")
    assert_error(send(client, "post", "/api/v1/announcements", {"title": ""}), 422,
                 "title_required")  # fmt: skip
    assert_error(send(client, "post", "/api/v1/announcements",
                      {"title": "Hi", "product": theirs.pk}), 422, "not_found")  # fmt: skip
    note = tree[3]
    assert_error(send(client, "patch", f"/api/v1/announcements/{note.pk}",
                      {"title": "Changed", "product": theirs.pk, "is_enabled": True}),
                 422, "not_found")  # fmt: skip
    note.refresh_from_db()
    assert (note.title, note.is_enabled) == ("Hello", False)
    assert Announcement.objects.count() == 1
