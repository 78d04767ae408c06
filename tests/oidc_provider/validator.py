"""The claims the test provider puts in its ID tokens and userinfo: per user, from the JSON file the test
passes (`OIDC_TEST_CLAIMS`: username → claims such as acr, roles, given_name)."""

import json
import os

from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    # Every claim in every token (the test decides which claims a user has).
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        with open(os.environ["OIDC_TEST_CLAIMS"]) as fh:
            claims = json.load(fh)
        return dict(claims.get(request.user.username, {}))
