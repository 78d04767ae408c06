"""Demo and benchmark data, in one app at the top of the dependency graph (docs/decisions/0008).

    house.py        `manage.py demo`: the deterministic demo house (start here)
    accounts.py     the demo logins (plain data)
    data.py plan.py reference.py people.py build.py rows.py    the house's cases, persons and rows
    meetings.py reports.py privacy.py lifecycle.py evaluations.py    each app's demo add-ons
    benchdata.py    bulk rows for the indicator benchmark (bench/reports.py)

Nothing in the other apps imports this package; it imports them.
"""
