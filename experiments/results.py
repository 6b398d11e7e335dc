"""Result files a user can open: Parquet written atomically, plus metadata next to them."""

import errno
import functools
import json
import math
import os
import platform
import subprocess
import tempfile
import time
import uuid
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

# The files of a job and of a sweep: one definition, read by the runner, the app and aggregation.
OUTCOMES, SERIES, META = "outcomes.parquet", "timeseries.parquet", "metadata.json"
PLAN, MANIFEST, ERROR = ".sweep_plan.json", "sweep.json", "error.json"
CHECKED = ".plan_id"  # in a job folder: the plan whose run computed or re-checked the job
DISK_FULL_ADVICE = (
    "free space and rerun the same command into the same hydra.sweep.dir: finished jobs are "
    "skipped and the others resume from their last checkpoint"
)


def plan_id(sweep_dir: Path) -> str | None:
    """The id of the sweep's current plan (None without a plan, or for an older plan file)."""
    try:
        return json.loads((sweep_dir / PLAN).read_text()).get("id")
    except (OSError, json.JSONDecodeError):
        return None


def mark_checked(job_dir: Path) -> None:
    """Record that this job's results were computed, or found finished, under the sweep's
    current plan: aggregation trusts no result the current plan has not checked."""
    pid = plan_id(job_dir.parent)
    if pid:
        write_text(pid, job_dir / CHECKED)


PACKAGES = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx", "hydra-core", "omegaconf")


def atomic_write(path: Path, write) -> None:
    """Write to a temporary file in the same folder, flush it to disk, rename, then flush the
    folder: readers never see half a file, and a crash or power loss after the call returns
    cannot lose it. The file gets the usual permissions (0o666 less the umask, applied by the
    kernel), and the process umask is never touched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp"
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    try:
        write(str(tmp))
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as err:
        tmp.unlink(missing_ok=True)
        code = disk_full(err)
        if code and getattr(err, "filename", None) != str(path):
            raise OSError(code, os.strerror(code), str(path)) from err  # the file, not its tmp
        raise
    fsync_folder(path.parent)


def disk_full(err: BaseException) -> int | None:
    """The errno (ENOSPC, or EDQUOT: over quota) if ``err`` or an error it arose from says the
    disk is full; None otherwise. Whoever writes (pyarrow, pandas, Python) raises its own type."""
    seen = set()
    e: BaseException | None = err
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return e.errno
        e = e.__cause__ or e.__context__
    return None


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename itself is still atomic
    finally:
        os.close(fd)


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    atomic_write(path, lambda tmp: df.to_parquet(tmp, index=False, engine="pyarrow"))


# Rows per row group of a concatenated file. The writer keeps a footer entry for every row group
# until it closes (~80 KB each for our series), and holds a row group's rows while it encodes
# them (~1.4 KB a row): with a checkpoint per group, aggregation grew to 516 MB at 100,000 runs
# of 52 weeks (578 MB in all). Groups of sqrt(64 x rows) rows (at least 4,096) balance the two,
# so memory grows only as the square root of the rows, the least one file allows: aggregating
# 1,000 / 10,000 / 100,000 such runs peaks at 98 / 114 / 160 MB (100 / 180 / 578 MB before).
def row_group_rows(total_rows: int) -> int:
    return min(max(math.isqrt(64 * total_rows), 4_096), 1_048_576)


class UnreadablePartError(ValueError):
    """A file ``concat_parquet`` was given could not be read (damaged on disk, or not a
    Parquet file): ``path`` says which."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(f"{path}: {why}")
        self.path = path


class PartsDisagreeError(ValueError):
    """Parts of a concatenation type a column in ways no type holds (text in one, numbers in
    another): a sweep whose jobs disagree, not a damaged file."""


def concat_parquet(files: list[Path], path: Path, label: str | None = None) -> int:
    """Write ``files`` one after another into one Parquet file, atomically, holding one row
    group (``row_group_rows``) at a time however many runs the files hold; ``label`` adds a first
    column holding each file's folder name. Files may differ in columns (a job on the hand-set
    scenario has no ``posterior_draw``): the file has every column, in order of first
    appearance, empty where a part lacks it, as ``pandas.concat`` would give. Returns the rows
    written; raises UnreadablePartError naming a file that cannot be read, PartsDisagreeError
    when parts type a column in ways no type holds."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def unreadable(f: Path, err: Exception) -> UnreadablePartError:
        return UnreadablePartError(f, f"not a readable Parquet file ({err})")

    schemas, total = [], 0
    for f in files:
        try:  # read_schema, not read_metadata's schema: that one keeps the whole footer alive
            schemas.append(pq.read_schema(f))
            total += pq.read_metadata(f).num_rows
        except Exception as err:  # pyarrow raises several types for a damaged file
            raise unreadable(f, err) from err
    group_rows = row_group_rows(total)
    # unified file by file, so a part whose columns no earlier part's types agree with is named
    schema = pa.schema([(label, pa.string())] if label is not None else [])
    for f, part_schema in zip(files, schemas, strict=True):
        try:
            schema = pa.unify_schemas([schema, part_schema], promote_options="permissive")
        except (pa.ArrowTypeError, pa.ArrowInvalid) as err:
            raise PartsDisagreeError(
                f"{f} types a column otherwise than {files[0]} and the parts between ({err})"
            ) from err
    schema = schema.remove_metadata()
    rows = 0

    def parts():
        """Each file's row groups in the file's schema, read one at a time."""
        for f in files:
            try:
                part = pq.ParquetFile(f)
                for g in range(part.num_row_groups):
                    yield f, part.read_row_group(g)  # the writer's errors are not caught here
            except Exception as err:  # pyarrow raises several types for a damaged file
                raise unreadable(f, err) from err

    def write(tmp: str) -> None:
        nonlocal rows
        buffer: list = []
        held = 0
        with pq.ParquetWriter(tmp, schema) as writer:
            for f, table in parts():
                if label is not None:
                    name = pa.repeat(pa.scalar(f.parent.name), len(table))
                    table = table.add_column(0, label, name)
                columns = [  # a promoted type (an int column among floats) is cast
                    table.column(c).cast(t) if c in table.column_names else pa.nulls(len(table), t)
                    for c, t in zip(schema.names, schema.types, strict=True)
                ]
                buffer.append(pa.Table.from_arrays(columns, schema=schema))
                held += len(table)
                rows += len(table)
                if held >= group_rows:
                    writer.write_table(pa.concat_tables(buffer), row_group_size=held)
                    buffer, held = [], 0
            if buffer:
                writer.write_table(pa.concat_tables(buffer), row_group_size=held)

    atomic_write(path, write)
    return rows


def aside_folder(out_dir: Path) -> Path:
    """A fresh ``.stale/<time>-*/`` folder: two move-asides within a second must not
    overwrite each other."""
    (out_dir / ".stale").mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=out_dir / ".stale"))


def move_aside_stale(out_dir: Path) -> None:
    """Results of another config (or a failed attempt) are moved to ``.stale/<time>-*/``, not
    overwritten piecemeal: nothing of theirs can pass for the new job's."""
    old = [out_dir / n for n in (OUTCOMES, SERIES, META, "config.yaml") if (out_dir / n).exists()]
    if not old:
        return
    aside = aside_folder(out_dir)
    for f in old:
        f.replace(aside / f.name)


def write_text(text: str, path: Path) -> None:
    def _write(tmp: str) -> None:
        Path(tmp).write_text(text, encoding="utf-8")

    atomic_write(path, _write)


def code_version() -> dict[str, Any]:
    """The git commit of the code that ran, and whether the tree had local changes (a fresh
    dict each call). Asked of git once per process, which runs the code it imported whatever
    git says later (25 ms a call); an answer git could not give is asked for again."""
    global _CODE_VERSION
    if _CODE_VERSION is None:
        answer = _ask_git()
        if answer["commit"] == "unknown":
            return answer
        _CODE_VERSION = answer
    return dict(_CODE_VERSION)


_CODE_VERSION: dict[str, Any] | None = None


def _ask_git() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": "unknown", "dirty": None}
    return {"commit": commit or "unknown", "dirty": bool(dirty)}


def versions() -> dict[str, str]:
    """The versions of Python and of the libraries that ran (a fresh dict each call)."""
    return dict(_versions())


@functools.cache  # per process: the imported libraries cannot change under it (7 ms a call)
def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    try:
        out["reform-sim"] = metadata.version("reform-sim")
    except metadata.PackageNotFoundError:
        out["reform-sim"] = "source"
    return out


def write_metadata(meta: dict[str, Any], path: Path) -> None:
    write_text(json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n", path)
