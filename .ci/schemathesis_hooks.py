"""Schemathesis hooks for .ci/schemathesis.

The run calls the API with the token of the admin it logged in as (user 1). A PATCH of that
very user — a new username or password — revokes the token at once (as it should), and
every operation tested after it would only ever get 401. So the run never changes its own
account; every other user, and every other operation, is fuzzed as usual.
"""

import schemathesis

RUN_ADMIN_ID = 1


@schemathesis.hook.apply_to(method="PATCH", path="/api/v1/users/{id}")
def filter_path_parameters(ctx, path_parameters):
    return not path_parameters or str(path_parameters.get("id")) != str(RUN_ADMIN_ID)
