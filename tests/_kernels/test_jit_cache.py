"""The kernels' disk cache under hostile conditions (#18 point 5), each in a fresh subprocess.

Measured with numba 0.68 before the guard: a truncated or garbage ``.nbi``/``.nbc`` file made
every call of the kernel raise (``UnpicklingError: pickle data was truncated``,
``ValueError: invalid literal for int()``, ``EOFError: Ran out of input``,
``RuntimeError: LLVM bitcode parsing error``), in every process, until the file was deleted.
An index written by another numba version is already ignored by numba (recompiled).

Every test runs its kernels in subprocesses with ``NUMBA_CACHE_DIR`` in a temporary folder, so
neither the repository's ``__pycache__`` nor this process's dispatchers are touched.
"""

from __future__ import annotations

import json
import os
import pathlib
import pickle
import shutil
import stat
import subprocess
import sys
import tempfile

import pytest

import cxpath

pytestmark = pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT") == "1",
                                reason="the subprocesses compile anyway: jitted run only")

PACKAGE = pathlib.Path(cxpath.__file__).resolve().parent
FAMILIES = ("ordering", "lifecycle")  # 4 kernels and 1 kernel

# Calls every registered kernel of FAMILIES twice; prints one JSON line with the results, the
# warnings (category and message) and the cache hits/misses of each kernel.
SCRIPT = """
import importlib, json, sys, warnings
warnings.simplefilter("always")
families = sys.argv[1].split(",")
for name in families:
    importlib.import_module("cxpath._kernels." + name)
from cxpath._kernels import _jit

def plain(value):
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    return value.tolist() if hasattr(value, "tolist") else value

out = {"results": {}, "hits": 0, "misses": 0, "caches": []}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for dispatcher, make_args in _jit.examples():
        if dispatcher.py_func.__module__.rsplit(".", 1)[-1] not in families:
            continue
        first = plain(dispatcher(*make_args()))
        assert plain(dispatcher(*make_args())) == first
        out["results"][dispatcher.py_func.__qualname__] = first
        out["hits"] += sum(dispatcher.stats.cache_hits.values())
        out["misses"] += sum(dispatcher.stats.cache_misses.values())
        out["caches"].append(type(dispatcher._cache).__name__)
out["warnings"] = [[w.category.__name__, str(w.message), w.filename] for w in caught]
print(json.dumps(out))
"""


def _as(user):
    """The command prefix that runs a program as ``user`` (None: as this process's user)."""
    if user is None:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop to an unprivileged user")
    return [setpriv, f"--reuid={user}", f"--regid={user}", "--clear-groups"]


def _run(env_extra, *, families=FAMILIES, user=None, pythonpath=None, script=SCRIPT):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NUMBA_", "CXPATH_", "PYTHON"))}
    env.update(env_extra)
    if pythonpath is not None:  # and run there, so that "" on sys.path is not the checkout
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([*_as(user), sys.executable, "-c", script, ",".join(families)],
                          env=env, capture_output=True, text=True, timeout=600, check=False,
                          cwd=pythonpath)


def _json(done):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _index_files(cache, family):
    return sorted(cache.rglob(f"{family}.*.nbi"))


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    """A populated cache folder and the results of the kernels compiled into it."""
    cache = tmp_path_factory.mktemp("numba-cache")
    first = _json(_run({"NUMBA_CACHE_DIR": str(cache)}))
    assert first["warnings"] == []
    assert first["hits"] == 0 and first["misses"] == 6  # 5 ordering kernels + 1 lifecycle
    assert len(_index_files(cache, "ordering")) == 6  # and _select, their callee
    assert len(_index_files(cache, "lifecycle")) == 1
    return cache, first["results"]


def _copy(cache, tmp_path):
    target = tmp_path / "cache"
    shutil.copytree(cache, target)
    return target


def test_corrupted_cache_compiles_instead_and_warns_once_per_family(baseline, tmp_path):
    cache, expected = baseline
    cache = _copy(cache, tmp_path)
    for index in _index_files(cache, "ordering"):  # six kernels, one family
        index.write_bytes(b"garbage\n")
    (data,) = cache.rglob("lifecycle.*.1.nbc")
    data.write_bytes(data.read_bytes()[:500])  # truncated data file, index intact

    second = _json(_run({"NUMBA_CACHE_DIR": str(cache)}))
    assert second["results"] == expected
    assert second["hits"] == 0 and second["misses"] == 6
    categories = [w[0] for w in second["warnings"]]
    assert categories == ["CxpathWarning", "CxpathWarning"]  # one per family, not per kernel
    by_family = {("ordering" if "'ordering'" in w[1] else "lifecycle"): w[1]
                 for w in second["warnings"]}
    assert "could not be read (ValueError: invalid literal for int() with base 10: " \
        in by_family["ordering"]
    assert "could not be read (UnpicklingError: pickle data was truncated)" \
        in by_family["lifecycle"]
    for family, message in by_family.items():
        assert f"deleting the files {family}.*.nbi and {family}.*.nbc in that folder" in message
        assert "CXPATH_NUMBA_CACHE=0" in message
        assert str(cache) in message
    assert {w[2] for w in second["warnings"]} == {"<string>"}  # points at the caller's line

    third = _json(_run({"NUMBA_CACHE_DIR": str(cache)}))  # the cache was rewritten: healed
    assert third["warnings"] == []
    assert third["results"] == expected
    assert third["hits"] == 6 and third["misses"] == 0


@pytest.mark.parametrize("damage", ["empty-index", "empty-data", "flipped-bitcode"])
def test_other_kinds_of_damage_also_fall_back(baseline, tmp_path, damage):
    cache, expected = baseline
    cache = _copy(cache, tmp_path)
    (index,) = _index_files(cache, "lifecycle")
    (data,) = cache.rglob("lifecycle.*.1.nbc")
    if damage == "empty-index":
        index.write_bytes(b"")
        reason = "EOFError: Ran out of input"
    elif damage == "empty-data":
        data.write_bytes(b"")
        reason = "EOFError: Ran out of input"
    else:  # a valid pickle around damaged LLVM bitcode
        raw = bytearray(data.read_bytes())
        middle = len(raw) // 2
        raw[middle:middle + 64] = bytes(b ^ 0xFF for b in raw[middle:middle + 64])
        data.write_bytes(bytes(raw))
        reason = "RuntimeError: LLVM bitcode parsing error"
    got = _json(_run({"NUMBA_CACHE_DIR": str(cache)}, families=("lifecycle",)))
    assert got["results"] == {k: v for k, v in expected.items() if k == "pair_lifecycle"}
    assert len(got["warnings"]) == 1
    assert f"could not be read ({reason})" in got["warnings"][0][1]


def test_index_of_another_numba_version_is_recompiled_silently(baseline, tmp_path):
    cache, _ = baseline
    cache = _copy(cache, tmp_path)
    (index,) = _index_files(cache, "lifecycle")
    with open(index, "rb") as f:
        version = pickle.load(f)
        rest = f.read()
    index.write_bytes(pickle.dumps("0.50.0", protocol=-1) + rest)  # numba's version header

    got = _json(_run({"NUMBA_CACHE_DIR": str(cache)}, families=("lifecycle",)))
    assert got["warnings"] == []  # numba ignores another version's index itself
    assert got["hits"] == 0 and got["misses"] == 1
    with open(index, "rb") as f:
        assert pickle.load(f) == version  # rewritten by this numba


def test_warnings_as_errors_fail_one_call_then_run(baseline, tmp_path):
    cache, _ = baseline
    cache = _copy(cache, tmp_path)
    (index,) = _index_files(cache, "lifecycle")
    index.write_bytes(b"garbage\n")
    script = ("import warnings; warnings.simplefilter('error')\n"
              "from cxpath._kernels import lifecycle as t\n"
              "from cxpath.errors import CxpathWarning\n"
              "try:\n    t.pair_lifecycle(*t._example())\n"
              "except CxpathWarning:\n    print('warned')\n"
              "print(t.pair_lifecycle(*t._example()).tolist())\n")
    done = _run({"NUMBA_CACHE_DIR": str(cache)}, script=script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["warned", "[-2,", "-1,", "0]"]  # pairs of lifecycle._example


@pytest.fixture
def read_only_install():
    """A copy of the package, a NUMBA_CACHE_DIR and a home that its user cannot write.

    As root, permissions are not enforced, so the subprocess runs as uid/gid 65534 (nobody,
    through ``setpriv``): the folders are world-readable and owned by root, hence really
    unwritable for it. The test probes that before relying on it.
    """
    root = pathlib.Path(tempfile.mkdtemp(prefix="cxpath-ro-"))
    shutil.copytree(PACKAGE, root / "pkg" / "cxpath",
                    ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
    (root / "cache").mkdir()
    (root / "home").mkdir()
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH
        if path.is_dir():
            mode |= stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH
        path.chmod(mode)
    user = 65534 if os.geteuid() == 0 else None
    try:
        yield root, user
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
        shutil.rmtree(root)


def test_read_only_install_warns_once_that_kernels_are_not_cached(read_only_install):
    root, user = read_only_install
    env = {"NUMBA_CACHE_DIR": str(root / "cache"), "HOME": str(root / "home"),
           "XDG_CACHE_HOME": str(root / "home")}
    # numba's own writability test (cache_locator.ensure_cache_path) on the three folders
    probe = _run(env, user=user, pythonpath=root / "pkg", script=(
        "import os, sys, tempfile, cxpath\n"
        "kernels = os.path.join(os.path.dirname(cxpath.__file__), '_kernels', '__pycache__')\n"
        "def writable(path):\n"
        "    try:\n"
        "        os.makedirs(path, exist_ok=True); tempfile.TemporaryFile(dir=path).close()\n"
        "    except OSError:\n"
        "        return False\n"
        "    return True\n"
        "print(os.geteuid(), cxpath.__file__, [writable(p) for p in (kernels, "
        "os.environ['NUMBA_CACHE_DIR'], os.environ['XDG_CACHE_HOME'] + '/numba')])\n"))
    assert probe.returncode == 0, probe.stderr
    uid, where, writable = probe.stdout.split(" ", 2)
    assert uid != "0" and where == str(root / "pkg" / "cxpath" / "__init__.py")
    assert writable.strip() == "[False, False, False]"  # really read-only for that process

    got = _json(_run(env, user=user, pythonpath=root / "pkg"))
    assert got["hits"] == 0 and got["misses"] == 6
    assert got["caches"] == ["_UncachedNotice"] * 6
    assert [w[0] for w in got["warnings"]] == ["CxpathWarning"]  # once for all six kernels
    message = got["warnings"][0][1]
    assert message.startswith("cxpath's numba kernels are not cached: there is no writable "
                              f"cache folder for {root / 'pkg' / 'cxpath' / '_kernels'}")
    assert "compiled again in every process" in message
    assert "Set NUMBA_CACHE_DIR to a writable folder" in message
    assert list(root.rglob("*.nbi")) == []

    off = _json(_run({**env, "CXPATH_NUMBA_CACHE": "0"}, user=user, pythonpath=root / "pkg"))
    assert off["warnings"] == []  # the user turned the cache off: nothing to warn about
    assert off["results"] == got["results"]


def test_import_cxpath_compiles_nothing():
    done = subprocess.run(
        [sys.executable, "-c", "import sys, cxpath; print('numba' in sys.modules, "
         "any(m.startswith('cxpath._kernels') for m in sys.modules))"],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]
