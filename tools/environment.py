"""The environment guard behind `make env` (every make target that needs .venv runs it
first).

    python3 -m tools.environment [--python PYTHON]

1. Refuses a Python older than the project's (pyproject.toml requires-python,
   runtime.txt), with a message that says which Python was found and how to point make
   at another one (make PYTHON=...).
2. Makes .venv from requirements.txt when it is missing, and rebuilds it when it was
   made by a Python older than required or its interpreter no longer runs (a venv cannot
   be moved to another Python).
3. Compares the installed packages with the lock (requirements.txt) and installs the
   lock again when any package is missing or has another version, naming them. A healthy
   .venv costs a directory listing.
4. Installs the kernels' configuration (tools/ipython_kernel_config.py) into
   .venv/etc/ipython/, or replaces a copy that differs: it lowers what garbage
   collection costs each page's kernel (that file says why).

Written for old interpreters too (no syntax newer than Python 3.6), so that it can
refuse them politely. `make clean` keeps .venv (this guard checks and repairs it on
every make); `make distclean` removes it.
"""

import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
PIP_VERSION = "26.3"
KERNEL_CONFIG = os.path.join(ROOT, "tools", "ipython_kernel_config.py")


def required_python(root=ROOT):
    """(major, minor) the project needs: the larger of pyproject's requires-python floor
    and runtime.txt.
    """
    found = []
    with open(os.path.join(root, "pyproject.toml"), encoding="utf-8") as handle:
        match = re.search(
            r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)', handle.read(), flags=re.M
        )
    if match:
        found.append((int(match.group(1)), int(match.group(2))))
    runtime = os.path.join(root, "runtime.txt")
    if os.path.isfile(runtime):
        with open(runtime, encoding="utf-8") as handle:
            match = re.match(r"python-(\d+)\.(\d+)", handle.read().strip())
        if match:
            found.append((int(match.group(1)), int(match.group(2))))
    return max(found) if found else (3, 11)


def canonical(name):
    """A package name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages(root=ROOT):
    """{canonical name: version} pinned in requirements.txt (the editable project itself
    left out).
    """
    pins = {}
    with open(os.path.join(root, "requirements.txt"), encoding="utf-8") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if "==" in line and not line.startswith("-"):
                name, version = line.split("==", 1)
                pins[canonical(re.sub(r"\[.*\]", "", name))] = version.split(";")[
                    0
                ].strip()
    return pins


def venv_python_version(venv=None):
    """(major, minor) of the Python that made the venv (pyvenv.cfg), or None if there is
    no readable venv.
    """
    venv = venv or VENV
    try:
        with open(os.path.join(venv, "pyvenv.cfg"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    match = re.search(r"^version(?:_info)?\s*=\s*(\d+)\.(\d+)", text, flags=re.M)
    return (int(match.group(1)), int(match.group(2))) if match else None


def installed_packages(venv=None):
    """{canonical name: version} from the venv's *.dist-info folders (no interpreter
    started).
    """
    venv = venv or VENV
    found = {}
    lib = os.path.join(venv, "lib")
    for python_dir in os.listdir(lib) if os.path.isdir(lib) else []:
        site = os.path.join(lib, python_dir, "site-packages")
        for entry in os.listdir(site) if os.path.isdir(site) else []:
            if entry.endswith(".dist-info"):
                name, _, version = entry[: -len(".dist-info")].partition("-")
                found[canonical(name)] = version
    return found


def lock_differences(locked, installed):
    """Human-readable differences between the lock and the venv: missing packages and
    other versions.
    """
    problems = []
    for name, version in sorted(locked.items()):
        if name not in installed:
            problems.append("{} is missing".format(name))
        elif canonical(installed[name]) != canonical(version):
            problems.append(
                "{} is {} (lock: {})".format(name, installed[name], version)
            )
    return problems


def python_runs(venv=None):
    """True if the venv's interpreter starts."""
    venv = venv or VENV
    try:
        return (
            subprocess.run(
                [os.path.join(venv, "bin", "python"), "-c", "pass"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ).returncode
            == 0
        )
    except OSError:
        return False


def run(command):
    print("make env: " + " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def install_lock(venv=None):
    python = os.path.join(venv or VENV, "bin", "python")
    run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip==" + PIP_VERSION])
    run([python, "-m", "pip", "install", "--quiet", "-r", "requirements.txt"])


def install_kernel_config(venv=None):
    """Copy the kernel configuration into the venv's etc/ipython unless an identical
    copy is there; True if copied.
    """
    target = os.path.join(
        venv or VENV, "etc", "ipython", os.path.basename(KERNEL_CONFIG)
    )
    with open(KERNEL_CONFIG, "rb") as handle:
        wanted = handle.read()
    if os.path.isfile(target):
        with open(target, "rb") as handle:
            if handle.read() == wanted:
                return False
    if not os.path.isdir(os.path.dirname(target)):
        os.makedirs(os.path.dirname(target))
    with open(target, "wb") as handle:
        handle.write(wanted)
    return True


def main(argv=None):
    wanted = required_python()
    have = sys.version_info[:2]
    wanted_text = "{}.{}".format(*wanted)
    if have < wanted:
        sys.stderr.write(
            "make: this project needs Python {w} or newer (pyproject.toml "
            "requires-python, runtime.txt), but {exe} is "
            "Python {h}.\n      Install Python {w} and run make with it, "
            "e.g. `make PYTHON=python{w} book`.\n".format(
                w=wanted_text,
                exe=sys.executable,
                h="{}.{}.{}".format(*sys.version_info[:3]),
            )
        )
        return 2
    made_by = venv_python_version()
    if os.path.isdir(VENV) and (
        made_by is None or made_by < wanted or not python_runs()
    ):
        reason = (
            "its interpreter does not run"
            if made_by is not None and made_by >= wanted
            else "it was made by Python {}".format(
                "{}.{}".format(*made_by) if made_by else "unknown"
            )
        )
        print(
            "make env: .venv is unusable ({}); making it again with {} "
            "(Python {}.{})".format(reason, sys.executable, *have),
            flush=True,
        )
        if os.path.islink(VENV):
            os.unlink(VENV)
        else:
            shutil.rmtree(VENV)
    if not os.path.isdir(VENV):
        run([sys.executable, "-m", "venv", VENV])
        install_lock()
    problems = lock_differences(locked_packages(), installed_packages())
    if problems:
        print(
            "make env: .venv differs from requirements.txt: "
            + "; ".join(problems)
            + ". Installing the lock.",
            flush=True,
        )
        install_lock()
        problems = lock_differences(locked_packages(), installed_packages())
        if problems:
            sys.stderr.write(
                "make env: still different after installing requirements.txt: {}\n"
                "      Remove .venv (make distclean) and run make again.\n".format(
                    "; ".join(problems)
                )
            )
            return 1
    if install_kernel_config():
        print(
            "make env: installed the kernel configuration "
            "(tools/ipython_kernel_config.py) into .venv",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
