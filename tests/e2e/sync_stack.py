"""A throw-away sync server for the end-to-end test: a PostgreSQL cluster made with initdb in a temp
dir and started with pg_ctl on a free loopback port (as sync-server/tests/common/pg.rs does), and
the wisdom-sync-server binary against it. Stdlib only."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

from webdriver import free_port


def pg_bin():
    if os.environ.get("WISDOM_PG_BIN"):
        return os.environ["WISDOM_PG_BIN"]
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if os.path.exists(os.path.join(d, "initdb"))]
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt install postgresql)")
    return sorted(found, key=lambda d: int(d.split("/")[-2]) if d.split("/")[-2].isdigit() else 0)[-1]


class SyncStack:
    """`with SyncStack(server_binary) as stack:` gives `stack.url`; `stop_server()` / `start_server()`
    take the server away and back (Postgres stays)."""

    def __init__(self, server_binary):
        self.server_binary = server_binary
        self.bin = pg_bin()
        self.dir = tempfile.mkdtemp(prefix="wisdom-e2e-pg-")
        self.data = os.path.join(self.dir, "data")
        self.pg_port = free_port()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        # initdb refuses to run as root: the cluster then belongs to an unprivileged user.
        self.run_as = None
        if os.geteuid() == 0:
            self.run_as = "postgres" if subprocess.run(["id", "-u", "postgres"], capture_output=True).returncode == 0 else "nobody"
            shutil.chown(self.dir, user=self.run_as)

    def _pg(self, tool, *args):
        cmd = [os.path.join(self.bin, tool), *args]
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir)
        if out.returncode != 0:
            raise RuntimeError(f"{tool} failed: {out.stdout}\n{out.stderr}")

    def __enter__(self):
        self._pg("initdb", "-D", self.data, "-U", "wisdom", "--auth=trust", "--no-sync", "--locale=C", "-E", "UTF8")
        opts = f"-p {self.pg_port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "postgres.log"), "-w", "-t", "60", "start")
        self.start_server()
        return self

    def start_server(self):
        self.log = open(os.path.join(self.dir, "sync-server.log"), "a")
        env = dict(os.environ, WISDOM_SYNC_DATABASE_URL=f"postgres://wisdom@127.0.0.1:{self.pg_port}/postgres", RUST_LOG="warn")
        self.server = subprocess.Popen(
            [self.server_binary, "--listen", f"127.0.0.1:{self.port}"],
            env=env, stdout=self.log, stderr=self.log, start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/health", timeout=1).status == 200:
                    return
            except Exception:
                time.sleep(0.1)
        raise RuntimeError("the sync server did not come up: " + open(os.path.join(self.dir, "sync-server.log")).read()[-2000:])

    def stop_server(self):
        if self.server and self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()

    def __exit__(self, *exc):
        self.stop_server()
        try:
            self._pg("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        except Exception:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
