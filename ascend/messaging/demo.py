"""Demo conversations: realistic timings, some clients waiting (one overdue), staff notes,
a peer chat, a cohort group, and audited replies. Everything goes through the actions;
only the audits' dates are moved back, as no one can audit in the past."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from ascend.programs.models import Cohort
from ascend.quality.actions import do_acknowledge_audit, do_audit_message
from ascend.quality.models import Audit, Grade
from ascend.tenancy.models import Membership, Workspace

from .access import coaches_of_client
from .actions import (
    do_add_staff_note,
    do_mark_read,
    do_send_message,
    do_start_cohort_conversation,
    do_start_conversation,
)
from .models import Conversation, Message

D = "@demo.ascend.test"
SEED = 20261127


@dataclass(frozen=True)
class Line:
    """One message: who writes ("client", "coach" or another demo login) and how long ago."""

    who: str
    ago: timedelta
    text: str


def h(hours: float) -> timedelta:
    return timedelta(hours=hours)


def d(days: float, hours: float = 0) -> timedelta:
    return timedelta(days=days, hours=hours)


THREADS: dict[tuple[str, str], list[Line]] = {
    # Camila keeps up: quick answers, and a fresh question two hours ago.
    ("client1", "coach1"): [
        Line(
            "coach", d(20), "Welcome to the **Autumn group**, Camila! Tell me how week one feels."
        ),
        Line("client", d(19, 20), "Thanks! Legs are sore after the squats. Is that normal?"),
        Line("client", d(19, 19), "Also: can I swap the Sunday walk for a swim?"),
        Line(
            "coach",
            d(19, 15),
            "Sore is normal in week one. A swim is a great swap, log it as the walk.",
        ),
        Line("client", d(9, 3), "I hit all my habits this week 🎉"),
        Line("coach", d(9), "Brilliant. Next week we add a fourth set: go light on the first two."),
        Line("client", h(2), "Quick one: should I train the day after a late night shift?"),
    ],
    # Kenji went quiet in the program and his question has waited more than a day.
    ("client2", "coach1"): [
        Line(
            "coach",
            d(12),
            "Hi Kenji, I noticed the check-ins stopped. Anything getting in the way?",
        ),
        Line("client", d(11, 18), "Work got crazy. I'll try to get back on it."),
        Line("coach", d(11, 10), "Totally fine. Start with just the 10-minute walk this week."),
        Line("client", h(31), "I missed a whole week again. Should I restart from week 1?"),
        Line("client", h(29), "Or just continue where the group is?"),
    ],
    # Lucía's question is past the 9 h goal but within the 24 h target.
    ("client3", "coach2"): [
        Line("client", d(10, 8), "Is journaling at night as good as in the morning?"),
        Line(
            "coach", d(10, 2), "Mornings work best for this program, but night beats skipping it!"
        ),
        Line("client", d(3), "Day 10 and the breathing is getting easier."),
        Line("coach", d(2, 20), "Lovely to hear. Try adding one minute this week."),
        Line("client", h(12), "Can I do the breathing lying down?"),
    ],
    ("client4", "coach2"): [
        Line("client", d(15), "I keep forgetting the journal. Any tips?"),
        Line("coach", d(14, 21), "Put the notebook on your pillow. Works for most people."),
        Line("client", d(6), "Missed a few days again, sorry."),
        Line("coach", d(5, 20), "No need to be sorry. One page today is a win."),
    ],
    # The membership subscriber: their coach is whoever runs the cohort they were placed in.
    ("client5", ""): [
        Line("client", d(4), "Just joined through the membership. Where do I start?"),
        Line(
            "coach",
            d(3, 22),
            "Welcome! Open **Programs** and tick today's habits; I'm here for questions.",
        ),
    ],
}

PEER = [
    Line("client1", d(6), "Hey Kenji, want to do the Saturday walk together?"),
    Line("client2", d(5, 22), "Yes! Park at 9?"),
    Line("client1", d(5, 21), "Deal."),
]

GROUP = [
    Line(
        "coach1", d(8), "Week 4 starts tomorrow: rest day on Wednesday. Questions here, everyone."
    ),
    Line("client1", d(7, 23), "Thanks coach! Is Wednesday rest a full rest?"),
    Line("coach1", d(7, 21), "Full rest, or an easy walk at most."),
]

NOTES = {
    ("client2", "coach1"): [
        (
            "headcoach",
            "Kenji has gone quiet twice. Carlos, call him this week if he doesn't reply.",
        ),
        ("coach1", "Will do. He's on night shifts this month; I'll suggest morning check-ins."),
    ],
}

# (thread, index of the coach reply in THREADS, grade, feedback, acknowledged)
AUDITS = [
    (("client1", "coach1"), 3, Grade.OUTSTANDING, "Clear, kind and answers both questions.", True),
    (
        ("client3", "coach2"),
        1,
        Grade.SUGGESTION,
        "Good. You could link the breathing guide so she has the how-to at hand.",
        True,
    ),
    (
        ("client4", "coach2"),
        3,
        Grade.NEEDS_IMPROVEMENT,
        "Noah has lapsed twice: suggest a concrete plan (a reminder time, a smaller habit).",
        False,
    ),
]


# Five months of earlier questions and answers, so response times and quality have a history.
HISTORY_DAYS = 150
QUESTIONS = [
    "How many rest days should I take this week?",
    "Is it fine to train in the evening?",
    "I felt dizzy after the session. Should I worry?",
    "Can I swap tomorrow's habit for something else?",
    "What should I eat before a morning workout?",
    "I missed two days. Do I start the week again?",
    "Any tips for sleeping better?",
    "Is soreness after three days normal?",
]
ANSWERS = [
    "Two rest days is right for this phase. Keep them apart.",
    "Evening is fine: just leave two hours before bed.",
    "Sit down, drink water, and tell me if it happens again. Let's go lighter next time.",
    "Yes, swap it. A short walk counts.",
    "Something light: a banana or toast, 30 to 60 minutes before.",
    "No need: pick up where you are today.",
    "Same bedtime every day, and no screens for the last half hour.",
    "It can be. If it's sharp pain rather than soreness, we pause that exercise.",
]
# How long each coach usually takes to answer, in hours (low, high).
PACE = {"coach1": (1.0, 10.0), "coach2": (3.0, 30.0)}


def _history(
    conversation: Conversation,
    client: Membership,
    coach: Membership,
    coach_key: str,
    until: timedelta,
    now: datetime,
    rng: random.Random,
) -> list[Message]:
    """Questions every week or so from HISTORY_DAYS ago until ``until`` ago, each answered."""
    low, high = PACE.get(coach_key, (2.0, 12.0))
    replies = []
    day = float(HISTORY_DAYS)
    while day > until.days + 3:
        asked = now - timedelta(days=day, hours=rng.uniform(0, 8))
        n = rng.randrange(len(QUESTIONS))
        conversation.refresh_from_db()
        do_send_message(conversation, author=client, body=QUESTIONS[n], sent_at=asked)
        answered = asked + timedelta(hours=rng.uniform(low, high))
        conversation.refresh_from_db()
        replies.append(
            do_send_message(conversation, author=coach, body=ANSWERS[n], sent_at=answered)
        )
        day -= rng.uniform(5, 11)
    return replies


def _past_audits(replies: list[Message], auditor: Membership, rng: random.Random) -> None:
    """About one earlier reply in four audited; the slower coach gets more suggestions."""
    for reply in replies:
        if rng.random() > 0.25:
            continue
        roll = rng.random()
        grade = (
            Grade.OUTSTANDING
            if roll < 0.5
            else Grade.SUGGESTION
            if roll < 0.8
            else Grade.NEEDS_IMPROVEMENT
        )
        audited_at = reply.created_at + timedelta(hours=rng.uniform(6, 30))
        Audit.objects.create(
            workspace=reply.workspace,
            message=reply,
            conversation=reply.conversation,
            coach=reply.author,
            auditor=auditor,
            grade=grade,
            feedback=PAST_FEEDBACK[grade],
            created_at=audited_at,
            acknowledged_at=audited_at + timedelta(hours=2),
            followed_up_at=audited_at + timedelta(hours=4)
            if grade == Grade.NEEDS_IMPROVEMENT
            else None,
        )


PAST_FEEDBACK = {
    Grade.OUTSTANDING: "Warm and precise. Exactly what the client needed.",
    Grade.SUGGESTION: "Good answer; add a link to the guide so they can read more.",
    Grade.NEEDS_IMPROVEMENT: "This misses the question asked. Write back with a clear plan.",
}


def demo_loaded(workspace: Workspace) -> bool:
    return Conversation.objects.filter(workspace=workspace).exists()


def _say(conversation: Conversation, author: Membership, line: Line, now: datetime) -> Message:
    conversation.refresh_from_db()
    return do_send_message(conversation, author=author, body=line.text, sent_at=now - line.ago)


@transaction.atomic
def load_demo_messages(workspace: Workspace) -> bool:
    """Add the demo conversations; returns False (and does nothing) if there are some already."""
    with scope(workspace=workspace):
        if demo_loaded(workspace):
            return False
        members = {
            m.user.email.split("@")[0]: m
            for m in Membership.objects.filter(workspace=workspace).select_related("user")
        }
        if not all(f"client{n}" in members for n in range(1, 6)):
            return False
        now = timezone.now()
        workspace.peer_messaging_enabled = True
        workspace.save(update_fields=["peer_messaging_enabled"])
        Cohort.objects.filter(workspace=workspace, name="Autumn group").update(
            peer_messaging_enabled=True
        )
        replies: dict[tuple[str, str], list[Message]] = {}
        rng = random.Random(SEED)
        earlier: list[Message] = []
        for (client, coach), lines in THREADS.items():
            coach_member = members.get(coach) or coaches_of_client(members[client]).first()
            if coach_member is None:
                continue
            people = {"client": members[client], "coach": coach_member}
            starter = people[lines[0].who]
            other = people["coach" if lines[0].who == "client" else "client"]
            conversation = do_start_conversation(starter, recipient=other)
            coach_key = coach_member.user.email.split("@")[0]
            earlier += _history(
                conversation, people["client"], coach_member, coach_key, lines[0].ago, now, rng
            )
            replies[(client, coach)] = [
                _say(conversation, people[line.who], line, now) for line in lines
            ]
            for author, text in NOTES.get((client, coach), []):
                do_add_staff_note(conversation, author=members[author], body=text)
            # Coaches have read everything but the latest client messages.
            if lines[-1].who == "coach":
                do_mark_read(conversation, people["client"])
        peer = do_start_conversation(members["client1"], recipient=members["client2"])
        for line in PEER:
            _say(peer, members[line.who], line, now)
        cohort = Cohort.objects.get(workspace=workspace, name="Autumn group")
        group = do_start_cohort_conversation(members["coach1"], cohort=cohort)
        for line in GROUP:
            _say(group, members[line.who], line, now)
        auditor = members["auditor"]
        _past_audits(earlier, auditor, rng)
        for thread, index, grade, feedback, acknowledged in AUDITS:
            message = replies[thread][index]
            audit = do_audit_message(message, auditor=auditor, grade=grade, feedback=feedback)
            audited_at = message.created_at + h(20)
            Audit.objects.filter(pk=audit.pk).update(created_at=audited_at)
            if acknowledged:
                audit.refresh_from_db()
                do_acknowledge_audit(audit, coach=message.author)
                Audit.objects.filter(pk=audit.pk).update(
                    acknowledged_at=audited_at + h(2), followed_up_at=audited_at + h(3)
                )
        return True
