"""schemathesis against a live sync server (a throw-away Postgres and the real binary, as the
desktop e2e starts them): every operation of sync-server/openapi.json with a bounded number of
generated requests, valid and invalid. Checks: no 5xx, every status, content type and body as the
document says. Usage: sync_api_fuzz.py SERVER_BINARY SCHEMATHESIS_CLI [MAX_EXAMPLES]"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request

from sync_stack import SyncStack


def post(url, body, token=None):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def main():
    server, st = sys.argv[1], sys.argv[2]
    examples = sys.argv[3] if len(sys.argv) > 3 else "15"
    with SyncStack(server) as stack:
        # A real account and tenant, so authorised operations reach past the 401/404 gates.
        session = post(f"{stack.url}/auth/register", {
            "email": "fuzz@example.org", "credential": "f" * 64, "deviceName": "schemathesis",
            "workspace": {"workspaceId": "ws_fuzz", "wrappedKey": "{}"},
        })
        with tempfile.TemporaryDirectory(prefix="wisdom-st-") as tmp:
            config = os.path.join(tmp, "schemathesis.toml")
            with open(config, "w") as f:
                f.write(f'[parameters]\n"path.tenant_id" = "{session["tenant"]["tenantId"]}"\n')
            cmd = [
                st, "--config-file", config, "run", f"{stack.url}/openapi.json",
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--max-examples", examples, "--seed", "17", "--workers", "2", "--no-shrink",
                "--phases", "examples,coverage,fuzzing",
                "--header", f"Authorization: Bearer {session['token']}",
                # Logging out would revoke the session every other operation uses.
                "--exclude-path", "/auth/logout",
                "--generation-database", "none", "--report-dir", tmp, "--no-color",
            ]
            code = subprocess.run(cmd, cwd=tmp).returncode
        if code != 0:
            print(open(os.path.join(stack.dir, "sync-server.log")).read()[-4000:], file=sys.stderr)
        sys.exit(code)


if __name__ == "__main__":
    main()
