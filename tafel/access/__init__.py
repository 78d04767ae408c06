"""Who may see and do what: the one access policy (fetch-and-check per kind, role predicates, item rules).

It sits above the domain apps whose models it reads and is imported by the pages, API and services above them.
See docs/decisions/0008-dependency-layers.md for where it sits among the apps.
"""
