"""The team portal's course content pages: products, the outline, courses, modules, lessons,
files. Owners and admins only; other roles get 403, another workspace's people 404."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ascend.courses import actions_content as actions
from ascend.courses.models import Course, Lesson, LessonFile, Module, Product
from ascend.testing import assert_flat_queries, assert_num_queries

from .course_world import complete, course_tree, give, product

pytestmark = pytest.mark.django_db

REFUSED_ROLES = ["supervisor", "attendant", "coach", "head_coach", "auditor", "client"]


@pytest.fixture
def tree(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=2, lessons=2)
    (stored,) = actions.do_add_lesson_files(
        lessons[0], actor=None, files=[SimpleUploadedFile("sheet.pdf", b"%PDF sheet")]
    )
    return made, lessons, stored


def _pages(tree) -> list[str]:  # type: ignore[no-untyped-def]
    made, lessons, _ = tree
    lesson = lessons[0]
    module, course = lesson.module, lesson.module.course
    return [
        reverse("courses:products"),
        reverse("courses:product_new"),
        reverse("courses:product", args=[made.pk]),
        reverse("courses:product_edit", args=[made.pk]),
        reverse("courses:product_delete", args=[made.pk]),
        reverse("courses:course_new", args=[made.pk]),
        reverse("courses:course_edit", args=[course.pk]),
        reverse("courses:course_delete", args=[course.pk]),
        reverse("courses:module_new", args=[course.pk]),
        reverse("courses:module_edit", args=[module.pk]),
        reverse("courses:module_delete", args=[module.pk]),
        reverse("courses:lesson_new", args=[module.pk]),
        reverse("courses:lesson_edit", args=[lesson.pk]),
        reverse("courses:lesson_delete", args=[lesson.pk]),
    ]


def _posts(tree) -> list[str]:  # type: ignore[no-untyped-def]
    _, lessons, stored = tree
    lesson = lessons[1]
    return [
        reverse("courses:course_move", args=[lesson.module.course.pk]),
        reverse("courses:module_move", args=[lesson.module.pk]),
        reverse("courses:lesson_move", args=[lesson.pk]),
        reverse("courses:lesson_files", args=[lesson.pk]),
        reverse("courses:lesson_file_delete", args=[stored.pk]),
        reverse("courses:markdown_preview"),
        reverse("courses:lesson_delete", args=[lesson.pk]),
        reverse("courses:product_delete", args=[tree[0].pk]),
    ]


# Who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_owners_and_admins_open_every_content_page(cast, tree, role):
    client = cast.client_for(getattr(cast.alpha, role))
    for url in _pages(tree):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_are_refused_every_content_page_and_change(cast, tree, role):
    client = cast.client_for(getattr(cast.alpha, role))
    for url in _pages(tree):
        assert client.get(url).status_code == 403, url
    for url in _posts(tree):
        assert client.post(url, {"direction": "up", "body": "x"}).status_code == 403, url
    assert Lesson.objects.count() == 4 and LessonFile.objects.count() == 1
    assert [m.position for m in Module.objects.order_by("id")] == [0, 1]


def test_someone_of_another_workspace_gets_404_on_this_workspace(cast, tree):
    client = cast.client_for(cast.beta.owner, workspace=cast.alpha.workspace)
    for url in _pages(tree) + [reverse("courses:lesson_file", args=[tree[2].pk])]:
        assert client.get(url).status_code == 404, url
    for url in _posts(tree):
        assert client.post(url, {"direction": "up"}).status_code == 404, url
    assert Lesson.objects.count() == 4


def test_another_workspaces_admin_cannot_reach_this_workspaces_content_from_theirs(cast, tree):
    client = cast.client_for(cast.beta.admin)
    for url in _pages(tree)[2:]:
        assert client.get(url).status_code == 404, url
    for url in _posts(tree)[:-2] + _posts(tree)[-2:]:
        if url == reverse("courses:markdown_preview"):
            continue
        assert client.post(url, {"direction": "up"}).status_code == 404, url
    assert client.get(reverse("courses:lesson_file", args=[tree[2].pk])).status_code == 404
    assert Lesson.objects.count() == 4 and Product.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(cast, tree):
    response = cast.client_for(None).get(reverse("courses:products"))
    assert response.status_code == 302 and "login" in response["Location"]


# Products ---------------------------------------------------------------------------------


def test_the_product_list_is_empty_at_first_and_says_what_to_do(cast):
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:products")).content.decode()
    assert "No products yet" in page and "Create the first product" in page


def test_the_product_list_counts_courses_lessons_and_current_learners(cast, tree):
    made = tree[0]
    give(cast.alpha.client.membership, made)
    from datetime import timedelta

    from django.utils import timezone

    past = timezone.now() - timedelta(days=1)
    give(cast.alpha.other_client.membership, made, expires=past)
    product(cast.alpha.workspace, "Free guide", is_active=False)
    product(cast.beta.workspace, "Beta only")
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:products")).content.decode()
    row = re.search(rf'data-testid="product-{made.pk}">(.*?)</tr>', page, re.S).group(1)
    cells = [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    assert cells[1:5] == ["1", "4", "1", "Free"]
    assert "Free guide" in page and "Not on sale" in page and "Beta only" not in page


def test_the_product_list_runs_a_fixed_number_of_queries_however_many_products(cast):
    client = cast.client_for(cast.alpha.admin)
    url = reverse("courses:products")
    course_tree(cast.alpha.workspace, name="First")

    def grow() -> None:
        for n in range(5):
            made, _ = course_tree(cast.alpha.workspace, modules=2, lessons=3, name=f"More {n}")
            give(cast.alpha.client.membership, made)

    client.get(url)  # sessions and caches settle first
    assert_flat_queries(lambda: client.get(url), grow)
    # workspace, session, user, membership, the products with their counts, the workspace menu
    with assert_num_queries(6):
        client.get(url)


def test_a_product_is_created_and_edited_from_the_form(cast):
    client = cast.client_for(cast.alpha.admin)
    response = client.post(
        reverse("courses:product_new"),
        {"name": "Mobility", "description": "Move better", "price": "19.90", "currency": "brl",
         "access_days": "30", "is_active": "on"},
    )  # fmt: skip
    made = Product.objects.get(name="Mobility")
    assert response.status_code == 302 and response["Location"] == f"/team/courses/{made.pk}/"
    assert (str(made.price), made.currency, made.access_days, made.is_active) == (
        "19.90", "BRL", 30, True,
    )  # fmt: skip
    client.post(
        reverse("courses:product_edit", args=[made.pk]),
        {"name": "Mobility 2", "price": "0", "currency": "BRL", "access_days": ""},
    )
    made.refresh_from_db()
    assert (made.name, made.price, made.access_days, made.is_active) == (
        "Mobility 2",
        0,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "A product needs a name."),
        ({"price": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"currency": "dollars"}, "Ensure this value has at most 3 characters"),
        ({"currency": "D1"}, "Write the currency as three letters"),
        ({"access_days": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_a_bad_product_form_says_why_and_keeps_what_was_typed(cast, values, message):
    data = {"name": "Typed name", "price": "10", "currency": "USD", "access_days": "", **values}
    response = cast.client_for(cast.alpha.admin).post(reverse("courses:product_new"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    if values.get("name") != "":
        assert 'value="Typed name"' in page
    assert not Product.objects.exists()


def test_deleting_a_product_asks_once_and_says_what_goes_with_it(cast, tree):
    made = tree[0]
    client = cast.client_for(cast.alpha.admin)
    page = client.get(reverse("courses:product_delete", args=[made.pk])).content.decode()
    assert "Delete the product “Strength Academy”?" in page
    assert "1 course, 4 lessons" in page and "1 file" in page
    response = client.post(reverse("courses:product_delete", args=[made.pk]))
    assert response.status_code == 302 and response["Location"] == "/team/courses/"
    assert not Product.objects.exists() and not LessonFile.objects.exists()


def test_a_product_with_learners_is_not_deleted_and_the_page_says_why(cast, tree):
    made = tree[0]
    give(cast.alpha.client.membership, made)
    client = cast.client_for(cast.alpha.admin)
    url = reverse("courses:product_delete", args=[made.pk])
    asked = client.get(url).content.decode()
    assert "can&#x27;t be deleted: 1 learner has or had access" in asked
    assert "btn--danger" not in asked  # no Delete button to press
    response = client.post(url)
    page = response.content.decode()
    assert response.status_code == 422
    assert "can&#x27;t be deleted: 1 learner has or had access" in page
    assert "Take it off sale instead." in page
    assert Product.objects.filter(pk=made.pk).exists()


# The outline ------------------------------------------------------------------------------


def test_the_outline_shows_courses_modules_and_lessons_in_order_with_their_buttons(cast, tree):
    made, lessons, _ = tree
    actions.do_move_lesson(lessons[1], actor=None, up=True)
    lessons[3].release_after_days = 7
    lessons[3].comments_enabled = False
    lessons[3].save()
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:product", args=[made.pk]))
    text = page.content.decode()
    order = [text.index(f"Lesson {n}") for n in ("1.2", "1.1", "2.1", "2.2")]
    assert order == sorted(order)
    assert "1 file" in text and "Released after 7 days" in text and "Comments off" in text
    for name in ("Add a course", "Add a module", "Add a lesson", "Up", "Down", "Delete", "Edit"):
        assert name in text


def test_the_outline_is_empty_at_first_and_says_what_to_do(cast):
    made = product(cast.alpha.workspace)
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:product", args=[made.pk]))
    assert "No courses yet" in page.content.decode()


def test_the_outline_runs_a_fixed_number_of_queries_as_lessons_grow(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    client = cast.client_for(cast.alpha.admin)
    url = reverse("courses:product", args=[made.pk])
    ws = cast.alpha.workspace

    def grow() -> None:
        course = lessons[0].module.course
        for m in range(3):
            module = Module.objects.create(
                workspace=ws, course=course, title=f"M{m}", position=m + 1
            )
            for n in range(6):
                lesson = Lesson.objects.create(
                    workspace=ws, module=module, title=f"L{m}.{n}", position=n
                )
                LessonFile.objects.create(workspace=ws, lesson=lesson, file="x.pdf", name="x.pdf")
        Course.objects.create(workspace=ws, product=made, title="Second", position=1)

    client.get(url)
    assert_flat_queries(lambda: client.get(url), grow)
    # workspace, session, user, membership, the product, its learners, courses, modules,
    # lessons with their files counted, the workspace menu
    with assert_num_queries(10):
        client.get(url)


# Courses and modules ----------------------------------------------------------------------


def test_courses_and_modules_are_added_edited_and_refused_without_a_title(cast):
    made = product(cast.alpha.workspace)
    client = cast.client_for(cast.alpha.admin)
    response = client.post(reverse("courses:course_new", args=[made.pk]), {"title": ""})
    assert response.status_code == 422 and "A course needs a title." in response.content.decode()
    client.post(reverse("courses:course_new", args=[made.pk]), {"title": "Basics"})
    course = Course.objects.get(title="Basics")
    client.post(reverse("courses:course_edit", args=[course.pk]), {"title": "Foundations"})
    course.refresh_from_db()
    assert course.title == "Foundations"
    response = client.post(
        reverse("courses:module_new", args=[course.pk]),
        {"title": "Week 1", "release_after_days": "3651"},
    )
    assert response.status_code == 422
    assert "less than or equal to 3650" in response.content.decode()
    response = client.post(
        reverse("courses:module_new", args=[course.pk]),
        {"title": "Week 1", "release_after_days": "7"},
    )
    module = Module.objects.get(title="Week 1")
    assert response["Location"] == f"/team/courses/{made.pk}/#module-{module.pk}"
    assert module.release_after_days == 7
    client.post(reverse("courses:module_edit", args=[module.pk]), {"title": "Week one"})
    module.refresh_from_db()
    assert (module.title, module.release_after_days) == ("Week one", None)


def test_moving_up_and_down_from_the_outline_keeps_positions_in_a_row(cast, tree):
    made, lessons, _ = tree
    client = cast.client_for(cast.alpha.admin)
    second = lessons[2].module
    response = client.post(reverse("courses:module_move", args=[second.pk]), {"direction": "up"})
    assert response["Location"] == f"/team/courses/{made.pk}/#module-{second.pk}"
    client.post(reverse("courses:lesson_move", args=[lessons[0].pk]), {"direction": "down"})
    client.post(reverse("courses:lesson_move", args=[lessons[0].pk]), {"direction": "down"})
    titles = list(Module.objects.order_by("position").values_list("title", "position"))
    assert titles == [("Module 2", 0), ("Module 1", 1)]
    first = list(lessons[0].module.lessons.order_by("position").values_list("title", "position"))
    assert first == [("Lesson 1.2", 0), ("Lesson 1.1", 1)]


def test_deleting_a_module_asks_first_and_says_what_goes(cast, tree):
    made, lessons, _ = tree
    give(cast.alpha.client.membership, made)
    complete(cast.alpha.client.membership, lessons[0])
    module = lessons[0].module
    client = cast.client_for(cast.alpha.admin)
    page = client.get(reverse("courses:module_delete", args=[module.pk])).content.decode()
    assert "Delete the module “Module 1”?" in page
    for said in ("2 lessons", "1 file", "the progress of 1 learner on these lessons"):
        assert said in page
    assert Module.objects.filter(pk=module.pk).exists()
    client.post(reverse("courses:module_delete", args=[module.pk]))
    assert list(Module.objects.values_list("title", "position")) == [("Module 2", 0)]


def test_deleting_a_course_from_its_page(cast, tree):
    course = tree[1][0].module.course
    client = cast.client_for(cast.alpha.admin)
    page = client.get(reverse("courses:course_delete", args=[course.pk])).content.decode()
    assert "2 modules, 4 lessons" in page
    client.post(reverse("courses:course_delete", args=[course.pk]))
    assert not Course.objects.exists() and not Lesson.objects.exists()


# Lessons ----------------------------------------------------------------------------------


def _lesson_data(**values: str) -> dict[str, str]:
    return {"title": "Breathing", "video_url": "", "body": "", "release_after_days": "",
            "comments_enabled": "on", **values}  # fmt: skip


def test_a_lesson_is_added_then_edited(cast, tree):
    module = tree[1][0].module
    client = cast.client_for(cast.alpha.admin)
    response = client.post(
        reverse("courses:lesson_new", args=[module.pk]),
        _lesson_data(video_url="https://youtu.be/dQw4w9WgXcQ", body="Breathe **in**",
                     release_after_days="2"),
    )  # fmt: skip
    lesson = Lesson.objects.get(title="Breathing")
    assert response["Location"] == f"/team/courses/lesson/{lesson.pk}/edit/"
    assert (lesson.position, lesson.release_after_days, lesson.comments_enabled) == (2, 2, True)
    page = client.get(response["Location"]).content.decode()
    assert "Breathe <strong>in</strong>" in page
    assert "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" in page
    client.post(reverse("courses:lesson_edit", args=[lesson.pk]), _lesson_data(comments_enabled=""))
    lesson.refresh_from_db()
    assert lesson.comments_enabled is False and lesson.video_url == ""


def test_a_lesson_without_a_title_says_so_next_to_the_field(cast, tree):
    module = tree[1][0].module
    response = cast.client_for(cast.alpha.admin).post(
        reverse("courses:lesson_new", args=[module.pk]), _lesson_data(title="", body="Kept text")
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert re.search(r'id_title_errors"><li>A lesson needs a title.</li>', page)
    assert "Kept text" in page
    assert Lesson.objects.count() == 4


def test_an_unsafe_video_address_is_refused_with_a_clear_message(cast, tree):
    lesson = tree[1][0]
    response = cast.client_for(cast.alpha.admin).post(
        reverse("courses:lesson_edit", args=[lesson.pk]),
        _lesson_data(video_url="https://evil.example.com/movie.mp4"),
    )
    assert response.status_code == 422
    assert "Use an https link to a YouTube, Vimeo or Wistia video" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.title == "Lesson 1.1" and lesson.video_url == ""


SCRIPTED = (
    '## Plan\n\n<script>alert("x")</script><img src=x onerror=alert(1)> '
    "[ok](https://a.example) [bad](javascript:alert(1))"
)


def _preview_of(page: str) -> str:
    return re.search(r'data-testid="preview"[^>]*>(.*?)</div>', page, re.S).group(1)


def test_the_text_preview_renders_markdown_and_never_keeps_scripts(cast, tree):
    lesson = tree[1][0]
    client = cast.client_for(cast.alpha.admin)
    response = client.post(
        reverse("courses:lesson_edit", args=[lesson.pk]), _lesson_data(body=SCRIPTED, preview="1")
    )
    preview = _preview_of(response.content.decode())
    assert "<h2>" not in preview and "Plan" in preview
    assert '<a href="https://a.example" rel="noopener noreferrer nofollow">ok</a>' in preview
    for unsafe in ("<script", "onerror", "javascript:", "<img"):
        assert unsafe not in preview
    lesson.refresh_from_db()
    assert lesson.body == "Text of lesson 1.1"  # a preview saves nothing
    fragment = client.post(reverse("courses:markdown_preview"), {"body": SCRIPTED},
                           HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert "<html" not in fragment and _preview_of(fragment) == preview


def test_a_saved_lesson_text_is_shown_sanitised(cast, tree):
    lesson = tree[1][0]
    actions.do_save_lesson(lesson.module, actor=None, lesson=lesson, title="T", body=SCRIPTED)
    page = cast.client_for(cast.alpha.admin).get(reverse("courses:lesson_edit", args=[lesson.pk]))
    preview = _preview_of(page.content.decode())
    assert "<script" not in preview and "onerror" not in preview


def test_deleting_a_lesson_from_its_page(cast, tree):
    lesson = tree[1][0]
    client = cast.client_for(cast.alpha.admin)
    page = client.get(reverse("courses:lesson_delete", args=[lesson.pk])).content.decode()
    assert "Delete the lesson “Lesson 1.1”?" in page and "1 file" in page
    client.post(reverse("courses:lesson_delete", args=[lesson.pk]))
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


# Files ------------------------------------------------------------------------------------


def test_several_files_are_uploaded_at_once_and_listed(cast, tree):
    lesson = tree[1][1]
    client = cast.client_for(cast.alpha.admin)
    response = client.post(
        reverse("courses:lesson_files", args=[lesson.pk]),
        {"files": [SimpleUploadedFile("a.pdf", b"A"), SimpleUploadedFile("b.png", b"B")]},
    )
    assert response.status_code == 302
    assert sorted(lesson.files.values_list("name", flat=True)) == ["a.pdf", "b.png"]
    page = client.get(reverse("courses:lesson_edit", args=[lesson.pk])).content.decode()
    assert "a.pdf" in page and "b.png" in page


def test_a_file_of_a_type_not_allowed_is_refused_with_the_allowed_types(cast, tree):
    lesson = tree[1][1]
    response = cast.client_for(cast.alpha.admin).post(
        reverse("courses:lesson_files", args=[lesson.pk]),
        {"files": [SimpleUploadedFile("ok.pdf", b"A"), SimpleUploadedFile("x.exe", b"MZ")]},
    )
    assert response.status_code == 422
    assert "x.exe: this type of file can&#x27;t be added. Allowed:" in response.content.decode()
    assert not lesson.files.exists()


def test_staff_download_a_file_and_others_cannot(cast, tree):
    stored = tree[2]
    url = reverse("courses:lesson_file", args=[stored.pk])
    response = cast.client_for(cast.alpha.admin).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert cast.client_for(cast.alpha.supervisor).get(url).status_code == 200
    for role in ("coach", "client", "auditor"):
        assert cast.client_for(getattr(cast.alpha, role)).get(url).status_code == 404, role


def test_a_file_is_removed_from_the_lesson(cast, tree):
    stored = tree[2]
    response = cast.client_for(cast.alpha.admin).post(
        reverse("courses:lesson_file_delete", args=[stored.pk])
    )
    assert response["Location"] == f"/team/courses/lesson/{stored.lesson_id}/edit/#files"
    assert not LessonFile.objects.exists()


def test_the_product_page_gives_its_payment_link_while_on_sale(cast, tree):
    made, _, _ = tree
    url = reverse("courses:product", args=[made.pk])
    text = cast.client_for(cast.alpha.admin).get(url).content.decode()
    assert f"/buy/{made.payment_token}/" in text and "Copy the link" in text
    made.is_active = False
    made.save()
    text = cast.client_for(cast.alpha.admin).get(url).content.decode()
    assert f"/buy/{made.payment_token}/" not in text and "not on sale" in text
