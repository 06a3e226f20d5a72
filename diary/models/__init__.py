"""The diary's data: a user's profile, beds, nights, medicines, PEG check-ins, share links and
bed trials, one module each; imported here so that `from diary.models import Night` keeps working.
"""

from diary.models.beds import Bed
from diary.models.medicines import MAX_DOSES_PER_NIGHT, MG_PER_UNIT, Medicine, MedicineDose, dose_text
from diary.models.nights import Night, NightQuerySet
from diary.models.peg import PEG_ITEMS, PegCheckIn
from diary.models.profile import Profile, common_time_zones
from diary.models.querysets import OwnedQuerySet
from diary.models.sharing import ShareLink, ShareLinkQuerySet, reader_language
from diary.models.trials import BedTrial, BedTrialQuerySet

__all__ = [
    "Bed",
    "BedTrial",
    "BedTrialQuerySet",
    "MAX_DOSES_PER_NIGHT",
    "MG_PER_UNIT",
    "Medicine",
    "MedicineDose",
    "Night",
    "NightQuerySet",
    "OwnedQuerySet",
    "PEG_ITEMS",
    "PegCheckIn",
    "Profile",
    "ShareLink",
    "ShareLinkQuerySet",
    "reader_language",
    "common_time_zones",
    "dose_text",
]
