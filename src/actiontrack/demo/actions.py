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
    history: tuple[Step, ...]
    # The share of the group's leavers raising the first theme that counts as success.
    target_share: float | None = None


_P, _IP, _D, _B, _C = (
    ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.BLOCKED, ActionStatus.CANCELLED,
)

ACTIONS = (
    ActionPlan(
        title="Structured onboarding programme for new staff",
        description=(
            "Exit interviews keep naming a chaotic first week and no training before the first shift, above "
            "all in Retail stores. Introduce a two-week onboarding programme: a buddy for every new starter, a "
            "checklist for managers and e-learning on safety (and the till in stores) before the first solo shift."
        ),
        public_summary=(
            "New colleagues now get two weeks of onboarding with a buddy, and safety training (and the till in "
            "our stores) before their first shift alone."
        ),
        success_measure="Fewer than 10% of leavers name onboarding or training; first-year leavers down by a third.",
        department=None, themes=("training_onboarding",), owner="an.janssens@example.com",
        deadline=-380, published_days_ago=520, target_share=0.10,
        history=(
            Step(560, _P, 0, "Created after the yearly exit interview review: "
                             "onboarding is the top theme in Retail stores."),
            Step(520, _IP, 15, "Buddy role defined with three store managers; checklist drafted."),
            Step(480, _IP, 45, "Pilot started in the Gent and Namur stores."),
            Step(440, _IP, 80, "Pilot evaluated positively; "
                               "e-learning on the till and safety ready in Dutch and French."),
            Step(400, _D, 100, "Rolled out to all stores: "
                               "every new starter now has a buddy and two weeks of onboarding."),
        ),
    ),
    ActionPlan(
        title="Self-rostering app for store staff",
        description=(
            "Store leavers say their shifts are decided for them at short notice. Let store staff pick and "
            "swap their own shifts in a rostering app, within the staffing each store needs."
        ),
        public_summary="Store colleagues can now choose and swap their shifts themselves in the rostering app.",
        success_measure="Fewer than 15% of Retail leavers name schedules or work-life balance.",
        department="Retail stores", themes=("flexibility_balance",), owner="an.janssens@example.com",
        deadline=-260, published_days_ago=380, target_share=0.15,
        history=(
            Step(430, _P, 0, "Created after the review of Retail exit interviews: "
                             "schedules come right after onboarding."),
            Step(380, _IP, 30, "App chosen; pilot in four stores."),
            Step(300, _IP, 75, "Pilot extended to every store in Flanders."),
            Step(250, _D, 100, "All stores use the app. Store managers still fix weekend shifts themselves."),
        ),
    ),
    ActionPlan(
        title="Benchmark IT salaries against the Belgian market",
        description=(
            "IT developers leave for better pay elsewhere. Buy a salary survey for Belgian IT roles, compare "
            "every IT salary band with it and correct the bands that sit below the median."
        ),
        public_summary=(
            "We compared IT salaries with the Belgian market and raised the salary bands that were below it."
        ),
        success_measure="All IT salary bands at or above the market median; pay named by fewer than 25% of IT leavers.",
        department="IT", themes=("pay_benefits",), owner="emma.vermeulen@example.com",
        deadline=-300, published_days_ago=390, target_share=0.25,
        history=(
            Step(420, _P, 0, "Created after IT leavers repeatedly named salary as their main reason."),
            Step(390, _IP, 20, "Salary survey purchased; results expected in six weeks."),
            Step(330, _IP, 60, "Survey results in: four of the seven IT bands sit below the median."),
            Step(305, _B, 60, "Waiting for the budget decision of the executive committee."),
            Step(290, _D, 100, "Budget approved; the new bands apply from the next payroll. "
                               "Ten days late because of the budget round."),
        ),
    ),
    ActionPlan(
        title="Feedback training for warehouse team leads",
        description=(
            "Warehouse operators describe team leads who give no feedback and only speak up when something "
            "goes wrong. Train every team lead in Logistics in giving feedback and holding short one-to-ones."
        ),
        public_summary=(
            "All team leads in our warehouses followed a training on giving feedback and now hold a monthly "
            "one-to-one with each team member."
        ),
        success_measure="Every team lead trained; average manager support score of Logistics leavers above 3.",
        department="Logistics", themes=("management",), owner="pieter.desmet@example.com",
        deadline=-150, published_days_ago=340,
        history=(
            Step(380, _P, 0, "Created after the review of Logistics exit interviews: "
                             "management is named in half of them."),
            Step(340, _IP, 10, "Training partner selected; sessions planned per shift."),
            Step(260, _IP, 50, "Day and evening shift team leads trained."),
            Step(200, _IP, 85, "Night shift sessions done; one-to-one template shared."),
            Step(160, _D, 100, "All 14 team leads trained; one-to-ones running in every shift."),
        ),
    ),
    ActionPlan(
        title="Publish shift schedules four weeks ahead",
        description=(
            "Leavers in stores, warehouses and production say they cannot plan family life because schedules "
            "come out a few days ahead. Publish shift schedules at least four weeks in advance and handle "
            "swaps in the planning tool."
        ),
        public_summary=(
            "Shift schedules now come out at least four weeks ahead, and you can ask for a swap in the planning tool."
        ),
        success_measure="95% of schedules published four weeks ahead; schedules named by fewer leavers.",
        department=None, themes=("flexibility_balance",), owner="owner@example.com",
        deadline=-240, published_days_ago=400,
        history=(
            Step(430, _P, 0, "Created after the company-wide review: "
                             "schedules come up in every shift-based department."),
            Step(400, _IP, 25, "Planning tool configured for swaps; pilot in Production."),
            Step(330, _IP, 60, "Logistics and Production publish four weeks ahead."),
            Step(250, _D, 100, "All stores are on the four-week rhythm as well."),
        ),
    ),
    ActionPlan(
        title="Technical career ladder for IT developers",
        description=(
            "IT leavers say the only way up is into management. Define a technical career ladder (junior, "
            "medior, senior, lead) with clear criteria per level and link it to the salary bands."
        ),
        public_summary="We are building a career path for developers that lets you grow without becoming a manager.",
        success_measure=(
            "Ladder published; every developer has had a career conversation; growth named by fewer IT leavers."
        ),
        department="IT", themes=("growth_career",), owner="emma.vermeulen@example.com",
        deadline=60, published_days_ago=110,
        history=(
            Step(200, _P, 0, "Created after the IT review: career is now the first reason to leave."),
            Step(170, _IP, 15, "Workshop with senior developers on the levels."),
            Step(110, _IP, 35, "Criteria per level drafted."),
            Step(40, _IP, 55, "Draft reviewed by the IT management team; career conversations planned."),
        ),
    ),
    ActionPlan(
        title="Peer recognition programme in Customer service",
        description=(
            "Agents say good work goes unnoticed. Share customer compliments with the whole team every week "
            "and start a monthly round in which colleagues nominate each other for a thank-you."
        ),
        public_summary=(
            "Customer compliments are now shared with the whole team every week, and each month colleagues "
            "nominate each other for a thank-you."
        ),
        success_measure=(
            "Recognition named by fewer than 30% of Customer service leavers; nominations every month in every team."
        ),
        department="Customer service", themes=("recognition",), owner="nathalie.lejeune@example.com",
        deadline=30, published_days_ago=100, target_share=0.30,
        history=(
            Step(150, _P, 0, "Created after the Customer service review: recognition and workload top the list."),
            Step(120, _IP, 20, "Compliments channel opened."),
            Step(60, _IP, 40, "First two nomination rounds held."),
        ),
    ),
    ActionPlan(
        title="Reduce warehouse overtime with a flexible staff pool",
        description=(
            "Warehouse leavers name overtime and understaffing. Build a pool of trained flexible workers and "
            "students to absorb the peaks, so overtime stays below 5% of the hours worked."
        ),
        public_summary=(
            "We are building a pool of flexible colleagues for the peaks in the warehouses, so overtime goes down."
        ),
        success_measure="Overtime below 5% of hours for three months in a row.",
        department="Logistics", themes=("workload_autonomy",), owner="pieter.desmet@example.com",
        deadline=-20, published_days_ago=200,
        history=(
            Step(240, _P, 0, "Created after the Logistics review: workload is named in most exit interviews."),
            Step(210, _IP, 20, "Agreement with the interim agency on a fixed pool."),
            Step(130, _IP, 45, "Twelve flexible workers trained."),
            Step(70, _IP, 60, "Deadline moved by six weeks: the peak season delayed the training of the second group.",
                  deadline_moved=(-60, -20)),
            Step(30, _IP, 70, "Overtime down to 8%; second group in training."),
        ),
    ),
    ActionPlan(
        title="Hire six extra agents for peak hours",
        description=(
            "Customer service agents describe constant pressure between 9 and 11 and on Mondays. Hire six "
            "agents for the peak hours and adjust the call routing."
        ),
        public_summary=(
            "We plan to strengthen the Customer service team at peak hours. Hiring is on hold while the "
            "budget is reviewed."
        ),
        success_measure=(
            "Average waiting time below 2 minutes at peak hours; workload named by fewer Customer service leavers."
        ),
        department="Customer service", themes=("workload_autonomy",), owner="nathalie.lejeune@example.com",
        deadline=-10, published_days_ago=150,
        history=(
            Step(180, _P, 0, "Created after the Customer service review."),
            Step(150, _IP, 15, "Vacancies drafted; call data analysed."),
            Step(110, _IP, 25, "Two candidates selected."),
            Step(80, _B, 25, "Hiring freeze announced by the executive committee; "
                             "recruitment on hold until the budget review."),
        ),
    ),
    ActionPlan(
        title="Introduce a cafeteria plan for fringe benefits",
        description=(
            "Leavers across departments compare our fringe benefits unfavourably. Introduce a cafeteria plan "
            "so staff can choose between extra leave days, an e-bike lease or a higher pension contribution, "
            "within the existing budget."
        ),
        public_summary="We are working on a cafeteria plan that lets you choose your own fringe benefits.",
        success_measure="Plan live; at least 40% of staff make a choice in the first year.",
        department=None, themes=("pay_benefits", "flexibility_balance"), owner="owner@example.com",
        deadline=45, published_days_ago=None,
        history=(
            Step(210, _P, 0, "Created after the company-wide review of pay-related exits."),
            Step(180, _IP, 20, "Payroll provider consulted on the options."),
            Step(120, _IP, 30, "Proposal discussed with the trade union delegation."),
            Step(90, _B, 30, "Waiting for an agreement with the trade union delegation in the works council."),
        ),
    ),
    ActionPlan(
        title="Quarterly team days for the night shift",
        description=(
            "Production leavers from the night shift feel cut off from the rest of the company. Organise a team "
            "day every quarter during paid hours and invite night shift operators to the monthly information sessions."
        ),
        public_summary=(
            "Night shift colleagues will get a team day every quarter and a seat at the monthly information sessions."
        ),
        success_measure="Four team days a year; culture named by fewer night shift leavers.",
        department="Production", themes=("culture_engagement",), owner="karim.benali@example.com",
        deadline=90, published_days_ago=None,
        history=(
            Step(30, _P, 0, "Created after the autumn review of Production exit interviews."),
        ),
    ),
    ActionPlan(
        title="Stay interviews in every team",
        description=(
            "Most leavers never told their manager why they were unhappy. Every team lead holds a short stay "
            "interview with each team member once a year, using a common guide."
        ),
        public_summary=(
            "Your team lead will ask what keeps you here and what would make you leave, "
            "so we can act before it is too late."
        ),
        success_measure="Stay interviews held with 80% of staff within the year.",
        department=None, themes=("management", "culture_engagement"), owner="owner@example.com",
        deadline=-5, published_days_ago=None,
        history=(
            Step(60, _P, 0, "Created by HR; the interview guide still needs to be written."),
            Step(20, _P, 0, "Guide drafted; waiting for feedback from two team leads before the start."),
        ),
    ),
    ActionPlan(
        title="Fair weekend rota in the stores",
        description=(
            "Store staff leave because the same people always work on Saturdays. Introduce a rota that spreads "
            "weekend shifts evenly and lets staff ask for one free weekend a month."
        ),
        public_summary=(
            "Weekend shifts in the stores will be shared more evenly, with one free weekend a month on request."
        ),
        success_measure="No store associate works more than three Saturdays a month.",
        department="Retail stores", themes=("flexibility_balance",), owner="an.janssens@example.com",
        deadline=120, published_days_ago=None,
        history=(
            Step(25, _P, 0, "Created after the Retail review: weekend work is now the second theme."),
            Step(10, _P, 10, "Rota rules drafted with two store managers."),
        ),
    ),
    ActionPlan(
        title="Four-day week pilot in Finance",
        description=(
            "Finance leavers name the lack of flexibility around the month-end closing. Pilot a four-day week "
            "for the accounting team."
        ),
        public_summary=(
            "We will not run the four-day week pilot in Finance. Instead, Finance colleagues can now work from "
            "home up to three days a week."
        ),
        success_measure="Pilot evaluated after six months.",
        department="Finance", themes=("flexibility_balance",), owner="owner@example.com",
        deadline=-150, published_days_ago=250,
        history=(
            Step(330, _P, 0, "Created after the Finance review."),
            Step(300, _IP, 10, "Pilot design discussed with the Finance team."),
            Step(250, _C, 10, "Cancelled: the month-end closing cannot be covered in four days. "
                              "Replaced by the new remote work policy."),
        ),
    ),
    ActionPlan(
        title="Raise the night shift premium",
        description=(
            "Night shift operators in Production say the premium does not make up for the hours. Raise the night "
            "shift premium by 10%."
        ),
        public_summary=(
            "The night shift premium goes up through the new sector agreement, "
            "so this company action is no longer needed."
        ),
        success_measure="Premium raised; pay named by fewer night shift leavers.",
        department="Production", themes=("pay_benefits",), owner="karim.benali@example.com",
        deadline=-60, published_days_ago=200,
        history=(
            Step(260, _P, 0, "Created after the Production review."),
            Step(230, _IP, 20, "Cost calculation sent to Finance."),
            Step(200, _C, 20, "Cancelled: the new sector agreement of the joint committee "
                              "raises the premium for the whole sector."),
        ),
    ),
    ActionPlan(
        title="Rewrite job descriptions for store and warehouse vacancies",
        description=(
            "Leavers say the job was not what the vacancy described. Rewrite the vacancy texts and job "
            "descriptions of the five largest roles with people who do the job, less attractive tasks included."
        ),
        public_summary=(
            "We are rewriting our vacancies with colleagues who do the job, so new people know what to expect."
        ),
        success_measure="New descriptions for the five largest roles; role mismatch named by fewer first-year leavers.",
        department=None, themes=("role_mismatch",), owner="an.janssens@example.com",
        deadline=-40, published_days_ago=130,
        history=(
            Step(160, _P, 0, "Created after the company-wide review of first-year leavers."),
            Step(130, _IP, 20, "Workshops with store associates and warehouse operators planned."),
            Step(75, _IP, 60, "Three of the five descriptions rewritten."),
        ),
    ),
)
