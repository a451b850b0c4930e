"""What the gazetteer (bot/services/parse/places.py) does not answer as people mean it:
abbreviations, islands and regions, and a few names shared by cities in several zones where
one is meant far more often ("Barcelona", "Valencia"). Looked up before the gazetteer.

Keys are normalised the way ``bot.services.parse.times`` normalises user input:
case-folded, accents stripped, ``_``/whitespace collapsed to one space and
``.``/apostrophes removed ("São Paulo" -> "sao paulo", "St. John's" -> "st johns").
Ambiguous names (San Jose, IST, ...) are deliberately left out.
"""

ALIASES: dict[str, str] = {
    # --- Europe ---
    "barcelona": "Europe/Madrid",
    "valencia": "Europe/Madrid",
    "odessa": "Europe/Kyiv",
    "malta": "Europe/Malta",
    # --- Middle East & Asia ---
    "islamabad": "Asia/Karachi",
    "colombo": "Asia/Colombo",
    "hanoi": "Asia/Ho_Chi_Minh",
    # --- North America ---
    "ny": "America/New_York",
    "dc": "America/New_York",
    "la": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "hawaii": "Pacific/Honolulu",
    "st johns": "America/St_Johns",
    # --- Oceania ---
    "chatham": "Pacific/Chatham",
    "chatham islands": "Pacific/Chatham",
    "fiji": "Pacific/Fiji",
    "guam": "Pacific/Guam",
    # --- Unambiguous abbreviations people actually type ---
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "akst": "America/Anchorage",
    "hst": "Pacific/Honolulu",
    "msk": "Europe/Moscow",
    "jst": "Asia/Tokyo",
    "kst": "Asia/Seoul",
    "aest": "Australia/Sydney",
    "nzst": "Pacific/Auckland",
}
