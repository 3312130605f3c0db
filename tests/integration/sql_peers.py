"""Real customer databases for the SQL API tests (PEERS.md "Databases"): a MariaDB
and a PostgreSQL server started as children of the test, in temp dirs, listening on
127.0.0.1 on a free port, with bounded readiness waits. Each has a database `shop`
with a login `shop` / `pw` that bramka uses over TCP; the test reads and writes rows
through the servers' own command-line clients on the unix socket. Standard library only.
"""
import os
import shutil
import subprocess
import tempfile

from harness import free_port, wait_until

PG_BIN = "/usr/lib/postgresql/15/bin"


class Database:
    engine = ""
    database = "shop"

    def url(self, database=None, user="shop", password="pw"):
        return f"{self.engine}://{user}:{password}@127.0.0.1:{self.port}/{database or self.database}"

    def rows(self, sql, database=None):
        """Rows as tuples of str (None for NULL)."""
        out = self.run(sql, database)
        rows = []
        for line in out.splitlines():
            rows.append(tuple(None if v == "NULL" else v for v in line.split("\t")))
        return rows

    def value(self, sql, database=None):
        rows = self.rows(sql, database)
        return rows[0][0] if rows else None

    def hold_row_lock(self, table, row_id):
        """Another session locks one row (SELECT ... FOR UPDATE in an open transaction)
        until the returned function is called. Waits (bounded) until the lock is held:
        the session prints a marker after its SELECT."""
        import select
        proc = subprocess.Popen(self.client_args(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, bufsize=1)
        proc.stdin.write(f"BEGIN;\nSELECT id FROM {table} WHERE id = {row_id} FOR UPDATE;\n"
                         "SELECT 'lock' || 'ed';\n" if self.engine == "postgres" else
                         f"BEGIN;\nSELECT id FROM {table} WHERE id = {row_id} FOR UPDATE;\n"
                         "SELECT CONCAT('lock', 'ed');\n")
        proc.stdin.flush()
        seen = ""
        fd = proc.stdout.fileno()
        try:
            def locked():
                nonlocal seen
                # Raw reads of the pipe: a buffered readline() can leave the marker in
                # Python's buffer when it arrives with the row, where select() never sees it.
                ready, _, _ = select.select([fd], [], [], 0.05)
                if ready:
                    chunk = os.read(fd, 4096)
                    if not chunk:
                        raise AssertionError("the client session ended before taking the lock")
                    seen += chunk.decode(errors="replace")
                return "locked" in seen
            wait_until(locked, 20, 0, "the row lock")
        except AssertionError:
            proc.kill()
            _, err = proc.communicate()
            raise AssertionError(f"the row lock was not taken (client said {err!r}); sessions: "
                                 + repr(self.rows(self.sessions_sql)))

        def release():
            proc.stdin.write("COMMIT;\n")
            proc.stdin.close()
            proc.stdout.close()
            proc.stderr.close()
            proc.wait(timeout=20)
        return release


class MariaDb(Database):
    engine = "mysql"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="bramka-mariadb-")
        self.data = os.path.join(self.dir, "data")
        self.sock = os.path.join(self.dir, "sock")
        subprocess.run(["mariadb-install-db", "--no-defaults", f"--datadir={self.data}", "--user=root",
                        "--auth-root-authentication-method=normal", "--skip-test-db"],
                       check=True, capture_output=True, timeout=120)
        self.port = free_port()
        self.proc = None
        self.start()
        self.run("CREATE DATABASE shop; CREATE DATABASE other; "
                 "CREATE USER 'shop'@'%' IDENTIFIED BY 'pw'; GRANT ALL ON shop.* TO 'shop'@'%'; "
                 "GRANT ALL ON other.* TO 'shop'@'%';", database="")

    def start(self):
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            ["mariadbd", "--no-defaults", f"--datadir={self.data}", f"--socket={self.sock}",
             f"--port={self.port}", "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin",
             "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=2",
             f"--pid-file={os.path.join(self.dir, 'pid')}"],
            stdout=self.log, stderr=subprocess.STDOUT)

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("mariadbd exited; see " + self.dir)
            return subprocess.run(["mariadb", "--no-defaults", "-S", self.sock, "-uroot", "-e", "SELECT 1"],
                                  capture_output=True).returncode == 0
        wait_until(ready, 30, 0.05, "mariadbd to accept connections")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.log.close()
        self.proc = None

    open_transactions_sql = "SELECT COUNT(*) FROM information_schema.innodb_trx"
    sessions_sql = "SHOW FULL PROCESSLIST"

    def client_args(self):
        return ["mariadb", "--no-defaults", "-S", self.sock, "-uroot", "-n", "-N", "-B", self.database]

    def run(self, sql, database=None):
        db = self.database if database is None else database
        args = ["mariadb", "--no-defaults", "-S", self.sock, "-uroot", "-N", "-B", "-e", sql]
        if db:
            args.append(db)
        r = subprocess.run(args, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"mariadb: {r.stderr}\n{sql}")
        return r.stdout

    def script(self, sql):
        """A long script, through standard input."""
        r = subprocess.run(["mariadb", "--no-defaults", "-S", self.sock, "-uroot", self.database],
                           input=sql, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise AssertionError(f"mariadb: {r.stderr}")

    def cleanup(self):
        if self.proc:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Postgres(Database):
    engine = "postgres"

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="bramka-pg-")
        os.chmod(self.dir, 0o755)  # initdb and the server run as `postgres`
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.data = os.path.join(self.dir, "data")
        self._as_postgres([f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth-local=trust",
                           "--auth-host=scram-sha-256", "--no-sync"])
        self.port = free_port()
        self.proc = None
        self.start()
        self.run("CREATE DATABASE shop", database="postgres")
        self.run("CREATE DATABASE other", database="postgres")
        self.run("CREATE USER shop PASSWORD 'pw'; GRANT ALL ON DATABASE shop TO shop; "
                 "GRANT ALL ON DATABASE other TO shop", database="postgres")
        self.run("GRANT ALL ON SCHEMA public TO shop")
        self.run("GRANT ALL ON SCHEMA public TO shop", database="other")

    def _as_postgres(self, args):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        r = subprocess.run(prefix + args, capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            raise AssertionError(f"{args[0]}: {r.stdout}{r.stderr}")
        return r.stdout

    def start(self):
        self._as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-t", "30", "-l",
                           os.path.join(self.dir, "server.log"), "-o",
                           f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                           "start"])
        self.proc = True

    def stop(self):
        self._as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-t", "30", "-m", "fast", "stop"])
        self.proc = None

    open_transactions_sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'idle in transaction'"
    sessions_sql = "SELECT pid, state, wait_event, query FROM pg_stat_activity"

    def client_args(self):
        return [f"{PG_BIN}/psql", "-h", self.dir, "-p", str(self.port), "-U", "postgres", "-d",
                self.database, "-q", "-At"]

    def run(self, sql, database=None):
        db = self.database if database is None else database
        r = subprocess.run([f"{PG_BIN}/psql", "-h", self.dir, "-p", str(self.port), "-U", "postgres",
                            "-d", db, "-At", "-F", "\t", "-P", "null=NULL", "-v", "ON_ERROR_STOP=1",
                            "-c", sql], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"psql: {r.stderr}\n{sql}")
        return r.stdout

    def cleanup(self):
        if self.proc:
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def script(self, sql):
        """A long script, through standard input."""
        r = subprocess.run([f"{PG_BIN}/psql", "-h", self.dir, "-p", str(self.port), "-U", "postgres",
                            "-d", self.database, "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"],
                           input=sql, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise AssertionError(f"psql: {r.stderr}")


class PgBouncer:
    """pgbouncer (1.18, Debian's) in `pool_mode = transaction` in front of a Postgres
    above, on 127.0.0.1 and a free port, in a temp dir: what many sites put in front of
    PostgreSQL. `servers` server connections are kept open (min_pool_size) and handed out
    in turn (server_round_robin), so consecutive transactions of one client run on
    different server sessions, which is what breaks per-session prepared statements.
    Clients log in as anyone (auth_type any); pgbouncer logs in to PostgreSQL as
    shop / pw. Runs as `postgres` when the test is root (pgbouncer refuses root)."""

    engine = "postgres"
    database = "shop"

    def __init__(self, pg, servers=3):
        self.pg = pg
        self.dir = tempfile.mkdtemp(prefix="bramka-pgbouncer-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        ini = os.path.join(self.dir, "pgbouncer.ini")
        with open(ini, "w") as f:
            f.write(f"""[databases]
shop = host=127.0.0.1 port={pg.port} dbname=shop user=shop password=pw

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = {servers}
min_pool_size = {servers}
server_round_robin = 1
max_client_conn = 50
logfile = {self.dir}/pgbouncer.log
pidfile = {self.dir}/pgbouncer.pid
""")
        if os.geteuid() == 0:
            for p in (self.dir, ini):
                shutil.chown(p, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.proc = subprocess.Popen(prefix + ["pgbouncer", ini], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)

        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("pgbouncer exited: " + self.read_log())
            return subprocess.run(
                [f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "shop", "-d", "shop",
                 "-At", "-c", "SELECT 1"], capture_output=True, timeout=10).returncode == 0
        wait_until(ready, 30, 0.05, "pgbouncer to accept connections")

    def url(self, database=None, user="shop", password="pw"):
        return f"postgres://{user}:{password}@127.0.0.1:{self.port}/{database or self.database}"

    def rows(self, sql):
        """Rows as tuples of str, through pgbouncer (one transaction, on whichever server
        session it hands out)."""
        r = subprocess.run([f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "shop",
                            "-d", self.database, "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"psql through pgbouncer: {r.stderr}\n{sql}")
        return [tuple(line.split("\t")) for line in r.stdout.splitlines()]

    def read_log(self):
        try:
            with open(os.path.join(self.dir, "pgbouncer.log")) as f:
                return f.read()
        except OSError:
            return ""

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: immediate shutdown
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        self.proc = None
        shutil.rmtree(self.dir, ignore_errors=True)
