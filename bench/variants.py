"""Name variants the benchmark (bench/run.py, section a) and the matcher's calibration (bench/calibrate_matcher.py)
type: first-name transliterations and abbreviated surname prefixes, one table for both."""

TRANSLITERATED = {
    "Mohammed": "Muhammad",
    "Mohamed": "Mohammad",
    "Muhammad": "Mohamed",
    "Mustafa": "Moestafa",
    "Youssef": "Yusuf",
    "Ahmed": "Ahmad",
    "Fatima": "Fatma",
    "Khadija": "Khadidja",
    "Hassan": "Hasan",
    "Omar": "Oemar",
    "Ibrahim": "Ebrahim",
    "Hussein": "Hoessein",
}

ABBREVIATED = {"van der": "v.d.", "van den": "v.d.", "van de": "v.d.", "van": "v.", "in 't": "i.t.", "van 't": "v.t."}
