"""The demo organisation: its people, job families and departments, and how its leavers' themes moved."""

from __future__ import annotations

from dataclasses import dataclass

from actiontrack.models import Language, Role, TenureBand

DEMO_PASSWORD = "demo-password"

USERS = (
    ("hr@example.com", Role.HR, "Hanne Claes", Language.NL),
    ("sophie.dubois@example.com", Role.HR, "Sophie Dubois", Language.FR),
    ("leadership@example.com", Role.LEADERSHIP, "Luc Peeters", Language.FR),
    ("koen.willems@example.com", Role.LEADERSHIP, "Koen Willems", Language.NL),
    ("owner@example.com", Role.OWNER, "Sarah Maes", Language.EN),
    ("an.janssens@example.com", Role.OWNER, "An Janssens", Language.NL),
    ("pieter.desmet@example.com", Role.OWNER, "Pieter De Smet", Language.NL),
    ("nathalie.lejeune@example.com", Role.OWNER, "Nathalie Lejeune", Language.FR),
    ("karim.benali@example.com", Role.OWNER, "Karim Benali", Language.FR),
    ("emma.vermeulen@example.com", Role.OWNER, "Emma Vermeulen", Language.EN),
)

JOB_FAMILIES = (
    "Store associate",
    "Store manager",
    "Warehouse operator",
    "Production operator",
    "Customer service agent",
    "IT developer",
    "Accountant",
    "Sales rep",
    "HR advisor",
    "Team lead",
)


@dataclass(frozen=True)
class DepartmentProfile:
    name: str
    headcount: int
    # Leavers in the last 180 days and in the 1.5 years before; below 5 recent leavers
    # a department falls under the anonymity threshold.
    recent_leavers: int
    older_leavers: int
    languages: dict[str, float]
    job_families: dict[str, float]
    themes: dict[str, float]


DEPARTMENTS = (
    DepartmentProfile(
        "Retail stores", 400, 60, 180,
        {"nl": 0.55, "fr": 0.4, "en": 0.05},
        {"Store associate": 0.75, "Store manager": 0.15, "Team lead": 0.1},
        {"training_onboarding": 9, "flexibility_balance": 3, "pay_benefits": 2, "management": 1.5,
         "workload_autonomy": 1.5, "culture_engagement": 1, "role_mismatch": 1.5, "recognition": 1, "other": 1},
    ),
    DepartmentProfile(
        "Logistics", 260, 16, 40,
        {"nl": 0.6, "fr": 0.35, "en": 0.05},
        {"Warehouse operator": 0.8, "Team lead": 0.2},
        {"workload_autonomy": 5, "management": 5, "pay_benefits": 2, "flexibility_balance": 1.5,
         "culture_engagement": 1, "role_mismatch": 0.5, "other": 1},
    ),
    DepartmentProfile(
        "Production", 330, 12, 38,
        {"nl": 0.55, "fr": 0.4, "en": 0.05},
        {"Production operator": 0.85, "Team lead": 0.15},
        {"flexibility_balance": 2.5, "workload_autonomy": 2, "pay_benefits": 2, "culture_engagement": 2,
         "management": 1.5, "training_onboarding": 1, "other": 1},
    ),
    DepartmentProfile(
        "Customer service", 140, 13, 33,
        {"nl": 0.45, "fr": 0.45, "en": 0.1},
        {"Customer service agent": 0.85, "Team lead": 0.15},
        {"workload_autonomy": 4, "recognition": 4, "management": 1.5, "growth_career": 1.5,
         "flexibility_balance": 1, "culture_engagement": 1, "other": 0.5},
    ),
    DepartmentProfile(
        "IT", 110, 8, 24,
        {"nl": 0.35, "fr": 0.25, "en": 0.4},
        {"IT developer": 0.85, "Team lead": 0.15},
        {"growth_career": 5, "pay_benefits": 4, "management": 1, "flexibility_balance": 1,
         "culture_engagement": 1, "role_mismatch": 1, "other": 0.5},
    ),
    DepartmentProfile(
        "Sales", 95, 4, 18,
        {"nl": 0.5, "fr": 0.4, "en": 0.1},
        {"Sales rep": 0.85, "Team lead": 0.15},
        {"pay_benefits": 3, "recognition": 2, "management": 2, "growth_career": 2, "workload_autonomy": 1,
         "other": 1},
    ),
    DepartmentProfile(
        "Finance", 48, 3, 10,
        {"nl": 0.5, "fr": 0.35, "en": 0.15},
        {"Accountant": 0.85, "Team lead": 0.15},
        {"growth_career": 2, "workload_autonomy": 2, "flexibility_balance": 2, "management": 1,
         "pay_benefits": 1, "other": 1},
    ),
    DepartmentProfile(
        "HR", 32, 2, 7,
        {"nl": 0.5, "fr": 0.4, "en": 0.1},
        {"HR advisor": 0.85, "Team lead": 0.15},
        {"workload_autonomy": 2, "culture_engagement": 2, "growth_career": 2, "flexibility_balance": 1,
         "other": 1},
    ),
)

# (department, theme, days before today, weight before that day, weight from then on):
# how themes moved over time, mostly because an action landed (see ACTIONS).
THEME_TRENDS = (
    ("Retail stores", "training_onboarding", 400, 9, 1.5),  # the onboarding programme went live
    ("Retail stores", "flexibility_balance", 250, 3, 9),  # the self-rostering app did not help: it got worse
    ("Logistics", "management", 160, 6, 1.2),  # team leads trained in giving feedback
    ("IT", "pay_benefits", 290, 6, 1),  # salary bands corrected
    ("Customer service", "workload_autonomy", 180, 2.5, 7),  # hiring is blocked, peaks got worse
)

RECENT_DAYS = 180
# A few quiet days between the two windows keep the recent counts the same whether
# "the last six months" is read as 180, 182 or 184 days.
OLDER_DAYS = (186, 730)

TENURE_BY_THEME = {
    "training_onboarding": {TenureBand.UNDER_1: 0.8, TenureBand.FROM_1_TO_2: 0.2},
    "role_mismatch": {TenureBand.UNDER_1: 0.7, TenureBand.FROM_1_TO_2: 0.3},
    "growth_career": {TenureBand.FROM_1_TO_2: 0.2, TenureBand.FROM_2_TO_5: 0.55, TenureBand.FROM_5_TO_10: 0.25},
}
TENURE_DEFAULT = {
    TenureBand.UNDER_1: 0.25, TenureBand.FROM_1_TO_2: 0.25, TenureBand.FROM_2_TO_5: 0.27,
    TenureBand.FROM_5_TO_10: 0.15, TenureBand.OVER_10: 0.08,
}


