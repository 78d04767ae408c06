"""The federation hub (issue 16, docs/federation.md): its own Django project, deployed apart from any house.

It holds pseudonymous tokens per house and nothing else: no names, no dates, no contacts. A check from one
house is matched against the other houses' tokens; each house with a match is then asked live for the
dat-informatie, which the hub passes through without storing it.
"""
