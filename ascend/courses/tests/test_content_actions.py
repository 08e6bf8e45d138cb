"""The course content actions: every rule refuses with a stable code and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ascend.activity.models import Event
from ascend.activity.verbs import Verb
from ascend.billing.models import Order
from ascend.courses import actions_content as actions
from ascend.courses.models import (
    Announcement,
    AnnouncementDismissal,
    Comment,
    Course,
    Lesson,
    LessonFile,
    LessonProgress,
    Module,
    Product,
)

from .course_world import complete, course_tree, give, product

pytestmark = pytest.mark.django_db


def _codes(error: ValidationError) -> list[str]:
    return [e.code for errors in error.error_dict.values() for e in errors]  # type: ignore[misc]


def _refused(code: str, call, *args, **kwargs) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    error = caught.value
    codes = _codes(error) if hasattr(error, "error_dict") else [e.code for e in error.error_list]
    assert code in codes, codes
    return error


def _upload(name: str = "notes.pdf", content: bytes = b"%PDF-1.4 notes") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# Products ---------------------------------------------------------------------------------


def test_saving_a_product_cleans_the_values_and_records_an_event(cast):
    ws, admin = cast.alpha.workspace, cast.alpha.admin.user
    made = actions.do_save_product(
        ws, actor=admin, name="  Strength   Academy ", price="49.90", currency="eur",
        access_days=365, is_active=False,
    )  # fmt: skip
    made.refresh_from_db()
    assert (made.name, made.price, made.currency, made.access_days, made.is_active) == (
        "Strength Academy", Decimal("49.90"), "EUR", 365, False,
    )  # fmt: skip
    assert Event.objects.filter(workspace=ws, verb=Verb.PRODUCT_SAVED, target_id=str(made.pk))


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"name": "   "}, "name_required"),
        ({"name": "x" * 151}, "too_long"),
        ({"price": "-1"}, "price_negative"),
        ({"price": "abc"}, "invalid_price"),
        ({"price": "1.999"}, "invalid_price"),
        ({"price": "NaN"}, "invalid_price"),
        ({"price": "100000000"}, "invalid_price"),
        ({"currency": "EU"}, "invalid_currency"),
        ({"currency": "E1R"}, "invalid_currency"),
        ({"access_days": 0}, "access_days_out_of_range"),
        ({"access_days": 3651}, "access_days_out_of_range"),
    ],
)
def test_a_bad_product_is_refused_and_nothing_is_saved(cast, values, code):
    ws = cast.alpha.workspace
    fields = {"name": "Course", "price": "10", "currency": "USD", "access_days": None, **values}
    _refused(code, actions.do_save_product, ws, actor=cast.alpha.admin.user, **fields)
    assert not Product.objects.filter(workspace=ws).exists()
    assert not Event.objects.filter(workspace=ws, verb=Verb.PRODUCT_SAVED).exists()


def test_a_product_name_is_once_per_workspace_ignoring_case_but_free_in_another(cast):
    product(cast.alpha.workspace, "Yoga")
    _refused("duplicate", actions.do_save_product, cast.alpha.workspace,
             actor=cast.alpha.admin.user, name="YOGA")  # fmt: skip
    assert actions.do_save_product(cast.beta.workspace, actor=cast.beta.admin.user, name="Yoga")


def test_editing_a_product_keeps_its_name_free_for_itself(cast):
    made = product(cast.alpha.workspace, "Yoga")
    actions.do_save_product(
        cast.alpha.workspace, actor=cast.alpha.admin.user, product=made, name="Yoga", price=5
    )
    made.refresh_from_db()
    assert made.price == Decimal("5")


def test_a_product_without_learners_is_deleted_with_its_content_and_files(
    cast, django_capture_on_commit_callbacks
):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=2)
    (stored,) = actions.do_add_lesson_files(lessons[0], actor=None, files=[_upload()])
    storage, name, made_id = stored.file.storage, stored.file.name, made.pk
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_product(made, actor=cast.alpha.admin.user)
    assert not Product.objects.filter(pk=made_id).exists()
    assert not Lesson.objects.filter(pk__in=[x.pk for x in lessons]).exists()
    assert not storage.exists(name)
    assert Event.objects.filter(verb=Verb.COURSE_CONTENT_DELETED, target_id=str(made_id))


def test_a_product_a_learner_has_or_had_is_not_deleted(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    access = give(cast.alpha.client.membership, made)
    error = _refused("product_has_learners", actions.do_delete_product, made, actor=None)
    assert "1 learner has or had access" in error.messages[0]
    from django.utils import timezone

    access.removed_at = timezone.now()
    access.save()
    _refused("product_has_learners", actions.do_delete_product, made, actor=None)
    assert Product.objects.filter(pk=made.pk).exists()
    assert Lesson.objects.filter(pk=lessons[0].pk).exists()


def test_a_product_named_by_an_order_is_not_deleted(cast):
    made = product(cast.alpha.workspace, "Sold")
    Order.objects.create(
        workspace=cast.alpha.workspace, kind="course", product=made, buyer_name="Buyer",
        buyer_email="buyer@example.com", provider="manual",
        amount=made.price, currency=made.currency,
    )  # fmt: skip
    _refused("product_has_orders", actions.do_delete_product, made, actor=None)
    assert Product.objects.filter(pk=made.pk).exists()


# Courses, modules, lessons -----------------------------------------------------------------


def test_new_courses_modules_and_lessons_go_last(cast):
    ws, admin = cast.alpha.workspace, cast.alpha.admin.user
    made = product(ws)
    first = actions.do_save_course(made, actor=admin, title="One")
    second = actions.do_save_course(made, actor=admin, title="Two")
    module = actions.do_save_module(first, actor=admin, title="Basics", release_after_days=7)
    lessons = [actions.do_save_lesson(module, actor=admin, title=f"L{n}") for n in range(3)]
    assert [first.position, second.position] == [0, 1]
    assert module.release_after_days == 7
    assert [x.position for x in lessons] == [0, 1, 2]
    assert Event.objects.filter(workspace=ws, verb=Verb.COURSE_CONTENT_SAVED).count() == 6


def test_a_lesson_needs_a_title(cast):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    module = lessons[0].module
    error = _refused("title_required", actions.do_save_lesson, module, actor=None, title="  ")
    assert error.message_dict["title"] == ["A lesson needs a title."]
    assert Lesson.objects.filter(module=module).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://www.youtube.com/watch?v=abc123",
        "https://evil.example.com/video.mp4",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=<script>",
        "ftp://vimeo.com/123",
    ],
)
def test_a_lesson_video_must_be_an_https_youtube_vimeo_or_wistia_link(cast, url):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    lesson = lessons[0]
    _refused("unsafe_video_url", actions.do_save_lesson, lesson.module, actor=None,
             lesson=lesson, title="Changed", video_url=url)  # fmt: skip
    lesson.refresh_from_db()
    assert (lesson.title, lesson.video_url) == ("Lesson 1.1", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        "https://acme.wistia.com/medias/abc123xyz",
    ],
)
def test_a_lesson_keeps_a_safe_video_link(cast, url):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    saved = actions.do_save_lesson(
        lessons[0].module, actor=None, lesson=lessons[0], title="Video", video_url=url
    )
    assert saved.video_url == url


@pytest.mark.parametrize("days", [-1, 3651])
def test_drip_days_are_kept_between_0_and_3650(cast, days):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    lesson = lessons[0]
    _refused("release_days_out_of_range", actions.do_save_module, lesson.module.course,
             actor=None, title="Late", release_after_days=days)  # fmt: skip
    _refused("release_days_out_of_range", actions.do_save_lesson, lesson.module, actor=None,
             lesson=lesson, title="Late", release_after_days=days)  # fmt: skip
    assert Module.objects.count() == 1
    lesson.refresh_from_db()
    assert lesson.release_after_days is None


def test_lesson_text_is_kept_as_written_and_comments_can_be_switched_off(cast):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    text = "# Warm-up\n\n<script>alert(1)</script> **go**"
    saved = actions.do_save_lesson(
        lessons[0].module, actor=None, lesson=lessons[0], title="Warm-up", body=text,
        comments_enabled=False, release_after_days=0,
    )  # fmt: skip
    saved.refresh_from_db()
    assert saved.body == text.strip()
    assert saved.comments_enabled is False
    assert saved.release_after_days == 0


def _positions(model, **parent) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return list(
        model.objects.filter(**parent).order_by("position").values_list("title", "position")
    )


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends(cast):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=3)
    module = lessons[0].module
    assert actions.do_move_lesson(lessons[2], actor=None, up=True)
    assert _positions(Lesson, module=module) == [
        ("Lesson 1.1", 0), ("Lesson 1.3", 1), ("Lesson 1.2", 2),
    ]  # fmt: skip
    first = Lesson.objects.get(title="Lesson 1.1")
    assert not actions.do_move_lesson(first, actor=None, up=True)
    last = Lesson.objects.get(title="Lesson 1.2")
    assert not actions.do_move_lesson(last, actor=None, up=False)
    assert [p for _, p in _positions(Lesson, module=module)] == [0, 1, 2]


def test_modules_and_courses_move_within_their_parent_only(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=2, lessons=1)
    other, _ = course_tree(cast.alpha.workspace, modules=2, lessons=1, name="Other")
    course = lessons[0].module.course
    second = Course.objects.create(workspace=cast.alpha.workspace, product=made, title="B",
                                   position=1)  # fmt: skip
    assert actions.do_move_module(lessons[1].module, actor=None, up=True)
    assert _positions(Module, course=course) == [("Module 2", 0), ("Module 1", 1)]
    assert actions.do_move_course(second, actor=None, up=True)
    assert _positions(Course, product=made) == [("B", 0), ("Strength Academy course", 1)]
    assert _positions(Module, course__product=other) == [("Module 1", 0), ("Module 2", 1)]


def test_deleting_a_lesson_closes_the_gap_and_takes_its_learner_records(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=3)
    learner = cast.alpha.client.membership
    give(learner, made)
    complete(learner, lessons[1])
    Comment.objects.create(workspace=cast.alpha.workspace, lesson=lessons[1], author=learner,
                           body="Nice")  # fmt: skip
    actions.do_delete_lesson(lessons[1], actor=cast.alpha.admin.user)
    assert _positions(Lesson, module=lessons[0].module) == [("Lesson 1.1", 0), ("Lesson 1.3", 1)]
    assert not LessonProgress.objects.exists()
    assert not Comment.objects.exists()


def test_deleting_a_module_or_course_takes_its_lessons_and_renumbers(cast):
    made, lessons = course_tree(cast.alpha.workspace, modules=3, lessons=2)
    course = lessons[0].module.course
    actions.do_delete_module(lessons[0].module, actor=None)
    assert _positions(Module, course=course) == [("Module 2", 0), ("Module 3", 1)]
    assert Lesson.objects.count() == 4
    actions.do_delete_course(course, actor=None)
    assert not Module.objects.exists() and not Lesson.objects.exists()
    assert Product.objects.filter(pk=made.pk).exists()


# Lesson files -----------------------------------------------------------------------------


def test_several_files_are_added_through_the_storage(cast):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    added = actions.do_add_lesson_files(
        lessons[0], actor=None, files=[_upload("a.pdf"), _upload("b.txt", b"hello")]
    )
    assert sorted(f.name for f in added) == ["a.pdf", "b.txt"]
    stored = LessonFile.objects.get(name="b.txt")
    assert stored.size == 5
    with stored.file.open("rb") as handle:
        assert handle.read() == b"hello"


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ([], "no_files"),
        ([("run.exe", b"MZ")], "file_type_not_allowed"),
        ([("empty.pdf", b"")], "file_too_large"),
        ([("big.pdf", b"x" * (1024 * 1024 + 1))], "file_too_large"),
        ([(f"f{n}.txt", b"x") for n in range(11)], "too_many_files"),
        ([("fine.pdf", b"ok"), ("bad.exe", b"MZ")], "file_type_not_allowed"),
    ],
)
def test_files_outside_the_workspace_limits_are_refused_and_none_is_kept(cast, files, code):
    ws = cast.alpha.workspace
    ws.attachment_max_mb = 1
    ws.save()
    _, lessons = course_tree(ws, modules=1, lessons=1)
    uploads = [_upload(name, content) for name, content in files]
    _refused(code, actions.do_add_lesson_files, lessons[0], actor=None, files=uploads)
    assert not LessonFile.objects.exists()


def test_removing_a_file_deletes_it_from_the_storage(cast, django_capture_on_commit_callbacks):
    _, lessons = course_tree(cast.alpha.workspace, modules=1, lessons=1)
    (stored,) = actions.do_add_lesson_files(lessons[0], actor=None, files=[_upload()])
    storage, name = stored.file.storage, stored.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_delete_lesson_file(stored, actor=cast.alpha.admin.user)
    assert not LessonFile.objects.exists()
    assert not storage.exists(name)


# Announcements ----------------------------------------------------------------------------


def test_an_announcement_is_written_hidden_then_toggled(cast):
    ws, admin = cast.alpha.workspace, cast.alpha.admin.user
    made = product(ws)
    note = actions.do_save_announcement(ws, actor=admin, title="Live Q&A", body="Friday",
                                        product=made)  # fmt: skip
    assert note.is_enabled is False and note.product == made and note.created_by == admin
    actions.do_toggle_announcement(note, actor=admin)
    note.refresh_from_db()
    assert note.is_enabled
    actions.do_toggle_announcement(note, actor=admin)
    note.refresh_from_db()
    assert not note.is_enabled
    assert Event.objects.filter(workspace=ws, verb=Verb.ANNOUNCEMENT_SAVED).count() == 3


def test_editing_an_announcement_keeps_its_state(cast):
    ws = cast.alpha.workspace
    note = actions.do_save_announcement(ws, actor=None, title="Old")
    actions.do_toggle_announcement(note, actor=None, enabled=True)
    actions.do_save_announcement(ws, actor=None, announcement=note, title="New", body="Text")
    note.refresh_from_db()
    assert (note.title, note.body, note.is_enabled, note.product) == ("New", "Text", True, None)


def test_a_bad_announcement_is_refused(cast):
    ws = cast.alpha.workspace
    _refused("title_required", actions.do_save_announcement, ws, actor=None, title="")
    other = product(cast.beta.workspace, "Beta product")
    _refused("not_found", actions.do_save_announcement, ws, actor=None, title="Hi", product=other)
    _refused("too_long", actions.do_save_announcement, ws, actor=None, title="Hi",
             body="x" * 20_001)  # fmt: skip
    assert not Announcement.objects.exists()


def test_deleting_an_announcement_takes_its_dismissals(cast):
    ws = cast.alpha.workspace
    note = actions.do_save_announcement(ws, actor=None, title="Bye")
    AnnouncementDismissal.objects.create(workspace=ws, announcement=note,
                                         learner=cast.alpha.client.membership)  # fmt: skip
    actions.do_delete_announcement(note, actor=None)
    assert not Announcement.objects.exists() and not AnnouncementDismissal.objects.exists()
