"""Type-ahead lookups: skills, occupations and wards as small JSON lists, diacritics ignored."""
