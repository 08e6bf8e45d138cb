"""Lesson ratings through the API: averages per lesson for staff who read the reports."""

from __future__ import annotations

import pytest

from ascend.courses.models import LessonRating

from .course_world import course_tree

pytestmark = pytest.mark.django_db

URL = "/api/v1/course-reports/lesson-ratings"


@pytest.fixture
def rated(cast):
    ws = cast.alpha.workspace
    _, lessons = course_tree(ws, modules=1, lessons=2)
    for learner, stars in ((cast.alpha.client, 2), (cast.alpha.other_client, 5)):
        LessonRating.objects.create(workspace=ws, lesson=lessons[0], learner=learner.membership,
                                    stars=stars)  # fmt: skip
    LessonRating.objects.create(workspace=ws, lesson=lessons[1],
                                learner=cast.alpha.client.membership, stars=1)  # fmt: skip
    return lessons


def test_an_attendant_reads_each_lessons_average_worst_first(cast, rated):
    response = cast.client_for(cast.alpha.attendant).get(URL)
    assert response.status_code == 200
    rows = response.json()
    assert [(r["lesson_id"], r["average"], r["count"]) for r in rows] == [
        (rated[1].pk, 1.0, 1), (rated[0].pk, 3.5, 2)]  # fmt: skip
    assert rows[1]["stars"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 1}


@pytest.mark.parametrize("who", ["coach", "auditor", "client"])
def test_people_who_do_not_read_reports_are_refused(cast, rated, who):
    response = cast.client_for(getattr(cast.alpha, who)).get(URL)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_another_workspace_sees_none_of_these_ratings(cast, rated):
    response = cast.client_for(cast.beta.admin).get(URL)
    assert response.status_code == 200 and response.json() == []


def test_a_bad_period_is_refused_with_a_clear_error(cast, rated):
    response = cast.client_for(cast.alpha.admin).get(URL, {"months": 99})
    assert response.status_code == 422
