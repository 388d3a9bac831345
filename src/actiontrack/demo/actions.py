"""The demo's actions: what followed the recurring themes, with each action's history."""

from __future__ import annotations

from dataclasses import dataclass

from actiontrack.models import ActionStatus


@dataclass(frozen=True)
class Step:
    """One entry of an action's history, days counted back from today."""

    days_ago: int
    status: ActionStatus
    progress: int
    note: str
    # (old, new) deadline in days from today, when this step moved the deadline.
    deadline_moved: tuple[int, int] | None = None


@dataclass(frozen=True)
class ActionPlan:
    title: str
    description: str
    public_summary: str
    success_measure: str
    department: str | None  # None: company-wide
    themes: tuple[str, ...]
    owner: str
    deadline: int  # days from today, negative in the past
    published_days_ago: int | None
    # The share of the group's leavers raising the first theme that counts as success.
    target_share: float | None
    history: tuple[Step, ...]


_P, _IP, _D, _B, _C = (
    ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.BLOCKED, ActionStatus.CANCELLED,
)

# Per action: its title, description, public summary and success measure.
TEXTS = (
    ("Structured onboarding programme for new staff",
     "Exit interviews keep naming a chaotic first week and no training before the first shift, above all in Retail "
     "stores. Introduce a two-week onboarding programme: a buddy for every new starter, a checklist for managers "
     "and e-learning on safety (and the till in stores) before the first solo shift.",
     "New colleagues now get two weeks of onboarding with a buddy, and safety training (and the till in our stores) "
     "before their first shift alone.",
     "Fewer than 10% of leavers name onboarding or training; first-year leavers down by a third."),
    ("Self-rostering app for store staff",
     "Store leavers say their shifts are decided for them at short notice. Let store staff pick and swap their own "
     "shifts in a rostering app, within the staffing each store needs.",
     "Store colleagues can now choose and swap their shifts themselves in the rostering app.",
     "Fewer than 15% of Retail leavers name schedules or work-life balance."),
    ("Benchmark IT salaries against the Belgian market",
     "IT developers leave for better pay elsewhere. Buy a salary survey for Belgian IT roles, compare every IT "
     "salary band with it and correct the bands that sit below the median.",
     "We compared IT salaries with the Belgian market and raised the salary bands that were below it.",
     "All IT salary bands at or above the market median; pay named by fewer than 25% of IT leavers."),
    ("Feedback training for warehouse team leads",
     "Warehouse operators describe team leads who give no feedback and only speak up when something goes wrong. "
     "Train every team lead in Logistics in giving feedback and holding short one-to-ones.",
     "All team leads in our warehouses followed a training on giving feedback and now hold a monthly one-to-one "
     "with each team member.",
     "Every team lead trained; average manager support score of Logistics leavers above 3."),
    ("Publish shift schedules four weeks ahead",
     "Leavers in stores, warehouses and production say they cannot plan family life because schedules come out a "
     "few days ahead. Publish shift schedules at least four weeks in advance and handle swaps in the planning tool.",
     "Shift schedules now come out at least four weeks ahead, and you can ask for a swap in the planning tool.",
     "95% of schedules published four weeks ahead; schedules named by fewer leavers."),
    ("Technical career ladder for IT developers",
     "IT leavers say the only way up is into management. Define a technical career ladder (junior, medior, senior, "
     "lead) with clear criteria per level and link it to the salary bands.",
     "We are building a career path for developers that lets you grow without becoming a manager.",
     "Ladder published; every developer has had a career conversation; growth named by fewer IT leavers."),
    ("Peer recognition programme in Customer service",
     "Agents say good work goes unnoticed. Share customer compliments with the whole team every week and start a "
     "monthly round in which colleagues nominate each other for a thank-you.",
     "Customer compliments are now shared with the whole team every week, and each month colleagues nominate each "
     "other for a thank-you.",
     "Recognition named by fewer than 30% of Customer service leavers; nominations every month in every team."),
    ("Reduce warehouse overtime with a flexible staff pool",
     "Warehouse leavers name overtime and understaffing. Build a pool of trained flexible workers and students to "
     "absorb the peaks, so overtime stays below 5% of the hours worked.",
     "We are building a pool of flexible colleagues for the peaks in the warehouses, so overtime goes down.",
     "Overtime below 5% of hours for three months in a row."),
    ("Hire six extra agents for peak hours",
     "Customer service agents describe constant pressure between 9 and 11 and on Mondays. Hire six agents for the "
     "peak hours and adjust the call routing.",
     "We plan to strengthen the Customer service team at peak hours. Hiring is on hold while the budget is "
     "reviewed.",
     "Average waiting time below 2 minutes at peak hours; workload named by fewer Customer service leavers."),
    ("Introduce a cafeteria plan for fringe benefits",
     "Leavers across departments compare our fringe benefits unfavourably. Introduce a cafeteria plan so staff can "
     "choose between extra leave days, an e-bike lease or a higher pension contribution, within the existing "
     "budget.",
     "We are working on a cafeteria plan that lets you choose your own fringe benefits.",
     "Plan live; at least 40% of staff make a choice in the first year."),
    ("Quarterly team days for the night shift",
     "Production leavers from the night shift feel cut off from the rest of the company. Organise a team day every "
     "quarter during paid hours and invite night shift operators to the monthly information sessions.",
     "Night shift colleagues will get a team day every quarter and a seat at the monthly information sessions.",
     "Four team days a year; culture named by fewer night shift leavers."),
    ("Stay interviews in every team",
     "Most leavers never told their manager why they were unhappy. Every team lead holds a short stay interview "
     "with each team member once a year, using a common guide.",
     "Your team lead will ask what keeps you here and what would make you leave, so we can act before it is too "
     "late.",
     "Stay interviews held with 80% of staff within the year."),
    ("Fair weekend rota in the stores",
     "Store staff leave because the same people always work on Saturdays. Introduce a rota that spreads weekend "
     "shifts evenly and lets staff ask for one free weekend a month.",
     "Weekend shifts in the stores will be shared more evenly, with one free weekend a month on request.",
     "No store associate works more than three Saturdays a month."),
    ("Four-day week pilot in Finance",
     "Finance leavers name the lack of flexibility around the month-end closing. Pilot a four-day week for the "
     "accounting team.",
     "We will not run the four-day week pilot in Finance. Instead, Finance colleagues can now work from home up to "
     "three days a week.",
     "Pilot evaluated after six months."),
    ("Raise the night shift premium",
     "Night shift operators in Production say the premium does not make up for the hours. Raise the night shift "
     "premium by 10%.",
     "The night shift premium goes up through the new sector agreement, so this company action is no longer needed.",
     "Premium raised; pay named by fewer night shift leavers."),
    ("Rewrite job descriptions for store and warehouse vacancies",
     "Leavers say the job was not what the vacancy described. Rewrite the vacancy texts and job descriptions of the "
     "five largest roles with people who do the job, less attractive tasks included.",
     "We are rewriting our vacancies with colleagues who do the job, so new people know what to expect.",
     "New descriptions for the five largest roles; role mismatch named by fewer first-year leavers."),
)
# Per action, by title: its department (None: company-wide), themes, owner, deadline in days from today (negative:
# past), the days since it was published (None: not published) and its target share.
FACTS = {
    "Structured onboarding programme for new staff":
        (None, ("training_onboarding",), "an.janssens@example.com", -380, 520, 0.1),
    "Self-rostering app for store staff":
        ("Retail stores", ("flexibility_balance",), "an.janssens@example.com", -260, 380, 0.15),
    "Benchmark IT salaries against the Belgian market":
        ("IT", ("pay_benefits",), "emma.vermeulen@example.com", -300, 390, 0.25),
    "Feedback training for warehouse team leads":
        ("Logistics", ("management",), "pieter.desmet@example.com", -150, 340, None),
    "Publish shift schedules four weeks ahead": (None, ("flexibility_balance",), "owner@example.com", -240, 400, None),
    "Technical career ladder for IT developers":
        ("IT", ("growth_career",), "emma.vermeulen@example.com", 60, 110, None),
    "Peer recognition programme in Customer service":
        ("Customer service", ("recognition",), "nathalie.lejeune@example.com", 30, 100, 0.3),
    "Reduce warehouse overtime with a flexible staff pool":
        ("Logistics", ("workload_autonomy",), "pieter.desmet@example.com", -20, 200, None),
    "Hire six extra agents for peak hours":
        ("Customer service", ("workload_autonomy",), "nathalie.lejeune@example.com", -10, 150, None),
    "Introduce a cafeteria plan for fringe benefits":
        (None, ("pay_benefits", "flexibility_balance"), "owner@example.com", 45, None, None),
    "Quarterly team days for the night shift":
        ("Production", ("culture_engagement",), "karim.benali@example.com", 90, None, None),
    "Stay interviews in every team": (None, ("management", "culture_engagement"), "owner@example.com", -5, None, None),
    "Fair weekend rota in the stores":
        ("Retail stores", ("flexibility_balance",), "an.janssens@example.com", 120, None, None),
    "Four-day week pilot in Finance": ("Finance", ("flexibility_balance",), "owner@example.com", -150, 250, None),
    "Raise the night shift premium": ("Production", ("pay_benefits",), "karim.benali@example.com", -60, 200, None),
    "Rewrite job descriptions for store and warehouse vacancies":
        (None, ("role_mismatch",), "an.janssens@example.com", -40, 130, None),
}
# Per action, by title: its history, one Step each.
HISTORY = {
    "Structured onboarding programme for new staff": (
        (560, _P, 0, "Created after the yearly exit interview review: onboarding is the top theme in Retail "
                     "stores."),
        (520, _IP, 15, "Buddy role defined with three store managers; checklist drafted."),
        (480, _IP, 45, "Pilot started in the Gent and Namur stores."),
        (440, _IP, 80, "Pilot evaluated positively; e-learning on the till and safety ready in Dutch and French."),
        (400, _D, 100, "Rolled out to all stores: every new starter now has a buddy and two weeks of onboarding."),
    ),
    "Self-rostering app for store staff": (
        (430, _P, 0, "Created after the review of Retail exit interviews: schedules come right after onboarding."),
        (380, _IP, 30, "App chosen; pilot in four stores."),
        (300, _IP, 75, "Pilot extended to every store in Flanders."),
        (250, _D, 100, "All stores use the app. Store managers still fix weekend shifts themselves."),
    ),
    "Benchmark IT salaries against the Belgian market": (
        (420, _P, 0, "Created after IT leavers repeatedly named salary as their main reason."),
        (390, _IP, 20, "Salary survey purchased; results expected in six weeks."),
        (330, _IP, 60, "Survey results in: four of the seven IT bands sit below the median."),
        (305, _B, 60, "Waiting for the budget decision of the executive committee."),
        (290, _D, 100, "Budget approved; the new bands apply from the next payroll. Ten days late because of the "
                       "budget round."),
    ),
    "Feedback training for warehouse team leads": (
        (380, _P, 0, "Created after the review of Logistics exit interviews: management is named in half of them."),
        (340, _IP, 10, "Training partner selected; sessions planned per shift."),
        (260, _IP, 50, "Day and evening shift team leads trained."),
        (200, _IP, 85, "Night shift sessions done; one-to-one template shared."),
        (160, _D, 100, "All 14 team leads trained; one-to-ones running in every shift."),
    ),
    "Publish shift schedules four weeks ahead": (
        (430, _P, 0, "Created after the company-wide review: schedules come up in every shift-based department."),
        (400, _IP, 25, "Planning tool configured for swaps; pilot in Production."),
        (330, _IP, 60, "Logistics and Production publish four weeks ahead."),
        (250, _D, 100, "All stores are on the four-week rhythm as well."),
    ),
    "Technical career ladder for IT developers": (
        (200, _P, 0, "Created after the IT review: career is now the first reason to leave."),
        (170, _IP, 15, "Workshop with senior developers on the levels."),
        (110, _IP, 35, "Criteria per level drafted."),
        (40, _IP, 55, "Draft reviewed by the IT management team; career conversations planned."),
    ),
    "Peer recognition programme in Customer service": (
        (150, _P, 0, "Created after the Customer service review: recognition and workload top the list."),
        (120, _IP, 20, "Compliments channel opened."),
        (60, _IP, 40, "First two nomination rounds held."),
    ),
    "Reduce warehouse overtime with a flexible staff pool": (
        (240, _P, 0, "Created after the Logistics review: workload is named in most exit interviews."),
        (210, _IP, 20, "Agreement with the interim agency on a fixed pool."),
        (130, _IP, 45, "Twelve flexible workers trained."),
        (70, _IP, 60, "Deadline moved by six weeks: the peak season delayed the training of the second "
                      "group.", (-60, -20)),
        (30, _IP, 70, "Overtime down to 8%; second group in training."),
    ),
    "Hire six extra agents for peak hours": (
        (180, _P, 0, "Created after the Customer service review."),
        (150, _IP, 15, "Vacancies drafted; call data analysed."),
        (110, _IP, 25, "Two candidates selected."),
        (80, _B, 25, "Hiring freeze announced by the executive committee; recruitment on hold until the budget "
                     "review."),
    ),
    "Introduce a cafeteria plan for fringe benefits": (
        (210, _P, 0, "Created after the company-wide review of pay-related exits."),
        (180, _IP, 20, "Payroll provider consulted on the options."),
        (120, _IP, 30, "Proposal discussed with the trade union delegation."),
        (90, _B, 30, "Waiting for an agreement with the trade union delegation in the works council."),
    ),
    "Quarterly team days for the night shift": (
        (30, _P, 0, "Created after the autumn review of Production exit interviews."),
    ),
    "Stay interviews in every team": (
        (60, _P, 0, "Created by HR; the interview guide still needs to be written."),
        (20, _P, 0, "Guide drafted; waiting for feedback from two team leads before the start."),
    ),
    "Fair weekend rota in the stores": (
        (25, _P, 0, "Created after the Retail review: weekend work is now the second theme."),
        (10, _P, 10, "Rota rules drafted with two store managers."),
    ),
    "Four-day week pilot in Finance": (
        (330, _P, 0, "Created after the Finance review."),
        (300, _IP, 10, "Pilot design discussed with the Finance team."),
        (250, _C, 10, "Cancelled: the month-end closing cannot be covered in four days. Replaced by the new remote "
                      "work policy."),
    ),
    "Raise the night shift premium": (
        (260, _P, 0, "Created after the Production review."),
        (230, _IP, 20, "Cost calculation sent to Finance."),
        (200, _C, 20, "Cancelled: the new sector agreement of the joint committee raises the premium for the whole "
                      "sector."),
    ),
    "Rewrite job descriptions for store and warehouse vacancies": (
        (160, _P, 0, "Created after the company-wide review of first-year leavers."),
        (130, _IP, 20, "Workshops with store associates and warehouse operators planned."),
        (75, _IP, 60, "Three of the five descriptions rewritten."),
    ),
}

ACTIONS = tuple(ActionPlan(*texts, *FACTS[texts[0]], history=tuple(Step(*step) for step in HISTORY[texts[0]]))
                for texts in TEXTS)
