# Django has no date formats for Kazakh; these follow Kazakh usage
# ("2026 жылғы 24 қараша"). Letters outside ASCII are printed as they are.
DATE_FORMAT = "Y жылғы j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j F, H:i"
YEAR_MONTH_FORMAT = "Y жылғы F"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3
