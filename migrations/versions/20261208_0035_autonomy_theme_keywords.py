"""keywords for autonomy asked as permission, running on one's last breath, being sidelined (issue 26, dev batches)

As in revisions 0026 and 0033, keywords are added to what HR keeps on /themes, never replacing it: a keyword HR
already has stays as it is; the downgrade removes the keywords of this list (none of which an earlier revision
seeded).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-08 01:20:00
"""

from collections.abc import Sequence

from alembic import op

from actiontrack.themes.seeded_keywords import change_keywords

revision: str = '0035'
down_revision: str | None = '0034'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# code -> (nl, fr, en) keywords added (stems: a keyword matches the words that start with it)
ADDED = {
    "workload_autonomy": (
        "toestemming,laatste adem,bijspringen,te weinig tijd,hoofd boven water",
        "permission,autorisation,bout de souffle,empil,pas assez de temps,trop peu de temps,hors de l eau",
        "signed off,sign off,sign-off,permission,decide anything,last legs,drained,piling up,piled up,"
        "too little time,not enough time,head above water",
    ),
    "culture_engagement": ("buitenspel,opgenomen in de groep,kloof tussen,hielp elkaar,helpt elkaar",
                           "mis sur la touche,esprit collectif,esprit de corps,fracture entre,entraid,"
                           "chacun pour sa peau", "sidelined,divide between,for themselves,helped anyone"),
    "recognition": ("nooit goed genoeg", "jamais assez bien", ""),
    "growth_career": ("mijn toekomst", "mon avenir", "my future,go next,same grade,same level"),
    "other": ("", "aidant proche", "carer,caregiver"),
    "management": ("directeur", "jamais informe,tenus au courant", ""),
    "flexibility_balance": ("op tijd thuis", "depuis chez moi,de chez moi,depuis la maison", "home on time"),
    "training_onboarding": ("zelf uitzoeken,plan trekken", "", ""),
}


def upgrade() -> None:
    change_keywords(op.get_bind(), ADDED, add=True)


def downgrade() -> None:
    change_keywords(op.get_bind(), ADDED, add=False)
