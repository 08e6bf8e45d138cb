"""Demo course portal: "Strength Foundations" (one course, 3 modules, 12 lessons, the last
module released two weeks after access starts), eleven learners at every stage from not
started to finished (one whose access has ended, one whose address bounced), comments
waiting for review, approved ones with a staff reply, spam, lesson ratings, support
requests (waiting, answered and rated, closed) and an announcement.

Rows are written directly with dates in the past: what the demo shows is weeks of use
that no action could produce in one run. Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from ascend.accounts.models import User
from ascend.crm.client_records import ensure_client_contact
from ascend.notifications.models import DeliveryState, OutboundEmail
from ascend.support.models import RequestStatus, SupportMessage, SupportRequest
from ascend.tenancy.models import Membership, Workspace
from ascend.tenancy.roles import Role

from .models import (
    AccessSource,
    Announcement,
    Comment,
    CommentModeration,
    CommentState,
    Course,
    LearnerAccess,
    Lesson,
    LessonProgress,
    LessonRating,
    Module,
    PortalSettings,
    Product,
)

D = "@demo.ascend.test"
PRODUCT_NAME = "Strength Foundations"
BOUNCED_EMAIL = "rafael.typo@example.con"

MODULES = [
    (
        "Getting started",
        None,
        [
            ("Welcome and how this course works", "https://www.youtube.com/watch?v=IODxDxX7oi4"),
            ("Setting your baseline", ""),
            ("Warm-up routine", "https://vimeo.com/76979871"),
            ("Breathing and bracing", ""),
        ],
    ),
    (
        "The main lifts",
        None,
        [
            ("The squat", "https://www.youtube.com/watch?v=ultWZbUMPL8"),
            ("The hinge", ""),
            ("Push and pull", ""),
            ("Carries", ""),
        ],
    ),
    (
        "Building your programme",
        14,
        [
            ("Sets, reps and rest", ""),
            ("Progressing week by week", ""),
            ("Deload weeks", ""),
            ("Your 12-week plan", ""),
        ],
    ),
]

# login, name, days since access started, lessons completed, accessed (days ago) or None
LEARNERS = [
    ("client1", "Camila Client", 40, 12, 1),
    ("client2", "Kenji Client", 35, 9, 2),
    ("client3", "Lucía Client", 30, 6, 3),
    ("client4", "Noah Client", 20, 3, 6),
    ("client5", "Priya Client", 10, 1, 8),
    ("learner1", "Tomás Learner", 60, 8, 25),
    ("learner2", "Mei Learner", 5, 0, None),
    ("learner3", "Jonas Learner", 50, 10, 4),
    ("learner4", "Aaliyah Learner", 15, 4, 1),
    ("learner5", "Rafael Learner", 3, 0, None),
    ("learner6", "Ingrid Learner", 400, 5, 200),
]
EXPIRED = "learner6"
BOUNCED = "learner5"

LESSON_TEXT = """In this lesson you will learn **{title}**.

1. Watch the video (or read the notes below) once all the way through.
2. Try it with a light load, then write down how it felt.
3. Mark the lesson complete when you are done.

> Ask for help from this page if anything is unclear: an attendant answers within a day.
"""


def _staff(workspace: Workspace, login: str) -> Membership:
    return Membership.objects.select_related("user").get(
        workspace=workspace, user__email=f"{login}{D}"
    )


def _learner(workspace: Workspace, login: str, name: str, password: str) -> Membership:
    user = User.objects.filter(email=f"{login}{D}").first()
    if user is None:
        user = User.objects.create_user(f"{login}{D}", password, full_name=name)
    membership, made = Membership.objects.get_or_create(workspace=workspace, user=user)
    if made:
        membership.set_roles({Role.CLIENT})
        membership.save()
    ensure_client_contact(membership)
    return membership


def _content(workspace: Workspace) -> tuple[Product, list[Lesson]]:
    product = Product.objects.create(
        workspace=workspace,
        name=PRODUCT_NAME,
        description="Twelve lessons to learn the main lifts safely and plan your own training.",
        price=Decimal("149.00"),
        currency="USD",
        access_days=365,
    )
    course = Course.objects.create(workspace=workspace, product=product, title=PRODUCT_NAME)
    lessons: list[Lesson] = []
    for m, (module_title, release_days, lesson_specs) in enumerate(MODULES):
        module = Module.objects.create(
            workspace=workspace,
            course=course,
            title=module_title,
            position=m,
            release_after_days=release_days,
        )
        for n, (title, video) in enumerate(lesson_specs):
            lessons.append(
                Lesson.objects.create(
                    workspace=workspace,
                    module=module,
                    title=title,
                    video_url=video,
                    body=LESSON_TEXT.format(title=title.lower()),
                    position=n,
                    # The plan lesson is a download, not a discussion.
                    comments_enabled=title != "Your 12-week plan",
                )
            )
    return product, lessons


@transaction.atomic
def load_demo_courses(workspace: Workspace, *, password: str) -> bool:
    """Add the demo course portal once; False when it is already there."""
    with scope(workspace=workspace):
        if Product.objects.filter(workspace=workspace, name=PRODUCT_NAME).exists():
            return False
        now = timezone.now()
        PortalSettings.objects.update_or_create(
            workspace=workspace, defaults={"comment_moderation": CommentModeration.MANUAL}
        )
        product, lessons = _content(workspace)
        admin = _staff(workspace, "admin")
        attendant = _staff(workspace, "attendant")
        learners: dict[str, Membership] = {}
        for login, name, started_days, completed, accessed in LEARNERS:
            learner = _learner(workspace, login, name, password)
            learners[login] = learner
            started = now - timedelta(days=started_days)
            LearnerAccess.objects.create(
                workspace=workspace,
                learner=learner,
                product=product,
                source=AccessSource.PURCHASE if started_days % 2 else AccessSource.MANUAL,
                starts_at=started,
                expires_at=started + timedelta(days=365),
                granted_by=admin.user,
                first_accessed_at=started + timedelta(hours=3) if accessed else None,
                last_accessed_at=now - timedelta(days=accessed) if accessed else None,
            )
            for n, lesson in enumerate(lessons[:completed]):
                when = started + timedelta(days=n * 2, hours=4)
                LessonProgress.objects.create(
                    workspace=workspace,
                    learner=learner,
                    lesson=lesson,
                    first_viewed_at=when,
                    last_viewed_at=when + timedelta(minutes=20),
                    completed_at=when + timedelta(minutes=18),
                )
            if completed < len(lessons) and accessed:
                # The lesson they are on: opened, not finished yet.
                LessonProgress.objects.create(
                    workspace=workspace,
                    learner=learner,
                    lesson=lessons[completed],
                    first_viewed_at=now - timedelta(days=accessed),
                    last_viewed_at=now - timedelta(days=accessed),
                )
            for n, lesson in enumerate(lessons[:completed]):
                if (n + len(login)) % 3 == 0:
                    LessonRating.objects.create(
                        workspace=workspace,
                        lesson=lesson,
                        learner=learner,
                        stars=5 - (n + started_days) % 3,
                        rated_at=started + timedelta(days=n * 2, hours=5),
                    )
        for access in LearnerAccess.objects.filter(product=product):
            # Given when it started, not when the demo was loaded.
            LearnerAccess.objects.filter(pk=access.pk).update(created_at=access.starts_at)
        # Ingrid's year is over: her lessons are closed.
        LearnerAccess.objects.filter(learner=learners[EXPIRED]).update(
            expires_at=now - timedelta(days=35)
        )
        _comments(workspace, lessons, learners, attendant, now)
        _support(workspace, lessons, learners, attendant, now)
        Announcement.objects.create(
            workspace=workspace,
            product=product,
            title="Live Q&A on Thursday",
            body="Bring your squat questions: **Thursday 18:00**, link in your email.",
            is_enabled=True,
            created_by=admin.user,
        )
        Announcement.objects.create(
            workspace=workspace,
            title="New module coming in January",
            body="Conditioning for strength athletes: draft, not shown yet.",
            is_enabled=False,
            created_by=admin.user,
        )
        bounced = learners[BOUNCED].user
        OutboundEmail.objects.create(
            workspace=workspace,
            to=bounced.email,
            user=bounced,
            template="course_access",
            language="en",
            subject=f"Your access to {PRODUCT_NAME}",
            body="Your access link.",
            state=DeliveryState.BOUNCED,
            error="550 5.1.1 The email account that you tried to reach does not exist.",
            sent_at=now - timedelta(days=3),
            state_changed_at=now - timedelta(days=3),
        )
        # The address the bounce went to: the learner typed it wrong at checkout.
        User.objects.filter(pk=bounced.pk).update(email=BOUNCED_EMAIL)
        OutboundEmail.objects.filter(user=bounced).update(to=BOUNCED_EMAIL)
        from ascend.crm.models import Contact

        Contact.objects.filter(member=learners[BOUNCED]).update(email=BOUNCED_EMAIL)
    return True


def _comments(workspace, lessons, learners, attendant, now) -> None:  # type: ignore[no-untyped-def]
    def say(login, lesson, body, state, days_ago, moderated=True):  # type: ignore[no-untyped-def]
        return Comment.objects.create(
            workspace=workspace,
            lesson=lesson,
            author=learners[login],
            body=body,
            state=state,
            created_at=now - timedelta(days=days_ago),
            moderated_by=attendant.user if moderated else None,
            moderated_at=now - timedelta(days=days_ago) + timedelta(hours=2) if moderated else None,
        )

    approved = say(
        "client1", lessons[4], "Filming my squat from the side helped a lot.", "approved", 20
    )
    Comment.objects.create(
        workspace=workspace,
        lesson=lessons[4],
        author=attendant,
        parent=approved,
        body="Great tip! Knees tracking over toes looks right in your video.",
        state=CommentState.APPROVED,
        created_at=approved.created_at + timedelta(hours=3),
    )
    say("client2", lessons[1], "Do I test my baseline fresh or after training?", "approved", 18)
    say("learner3", lessons[2], "The warm-up takes me 12 minutes, is that ok?", "approved", 9)
    say("learner1", lessons[5], "My lower back feels the hinge. Normal?", "in_review", 2, False)
    say("client3", lessons[3], "What about bracing with a belt?", "in_review", 1, False)
    say("learner4", lessons[0], "Loving it so far!", "in_review", 0, False)
    say("learner3", lessons[6], "Buy cheap supplements at example-pills dot com", "spam", 4)


def _support(workspace, lessons, learners, attendant, now) -> None:  # type: ignore[no-untyped-def]
    def thread(login, lesson, subject, status, days_ago, messages, rating=None):  # type: ignore[no-untyped-def]
        asked = now - timedelta(days=days_ago)
        request = SupportRequest.objects.create(
            workspace=workspace,
            learner=learners[login],
            lesson=lesson,
            subject=subject,
            status=status,
            created_at=asked,
            last_message_at=asked,
        )
        for n, (from_staff, body) in enumerate(messages):
            at = asked + timedelta(hours=5 * n)
            SupportMessage.objects.create(
                workspace=workspace,
                request=request,
                author=attendant if from_staff else learners[login],
                from_staff=from_staff,
                body=body,
                created_at=at,
            )
            request.last_message_at = at
            if from_staff and request.first_answered_at is None:
                request.first_answered_at = at
                request.answered_by = attendant
        if rating:
            request.rating, request.rated_at = rating, request.last_message_at + timedelta(hours=1)
        request.save()

    thread(
        "client4",
        lessons[4],
        "The video doesn't load on my phone",
        RequestStatus.OPEN,
        0,
        [(False, "It stays black on my phone, on Wi-Fi. The text shows fine.")],
    )
    thread(
        "client2",
        lessons[7],
        "Carries: which weight to start with?",
        RequestStatus.ANSWERED,
        6,
        [
            (False, "I have 12 kg and 20 kg kettlebells. Which one first?"),
            (True, "Start with the 12 kg for 3 × 30 m, then move up when it feels easy."),
        ],
        rating=5,
    )
    thread(
        "learner1",
        None,
        "Can I change the email on my account?",
        RequestStatus.CLOSED,
        30,
        [
            (False, "I'd like to use my work email for the course."),
            (True, "Done: you'll get the next emails there."),
        ],
        rating=4,
    )
