"""Which BLAS PyTorch runs on, for the scripts that time it against continuo.

Debian's python3-torch calls whatever libblas.so.3 the system's alternatives point at: the slow
reference BLAS (package libblas3) unless an optimised one (libopenblas0-pthread, MKL) is installed.
A comparison with PyTorch on the reference BLAS is unfair to PyTorch, so the timing scripts refuse
it unless asked to go on anyway, and print what they loaded either way.

Import this module before torch: it also pins OpenBLAS and OpenMP to one thread, as continuo's step
runs on one thread (unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS are already set).
"""
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")


def loaded_blas():
    """The BLAS libraries mapped into this process (call after importing torch), by path."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path).lower()
            if "blas" in name or "mkl" in name:
                libs.add(os.path.realpath(path))
    return sorted(libs)


def kind(libs):
    """'openblas', 'mkl', 'blis', 'reference' or 'unknown' for the libraries loaded_blas() found."""
    text = " ".join(libs).lower()
    for k in ("openblas", "mkl", "blis"):
        if k in text:
            return k
    if any("/blas/libblas" in p for p in libs) or text.strip():
        return "reference"
    return "unknown"


def describe():
    """One line: the kind of BLAS, the libraries loaded and torch's own build setting."""
    import torch
    libs = loaded_blas()
    import re
    info = re.search(r"BLAS_INFO=\w+", torch.__config__.show())
    build = info.group(0) if info else "BLAS_INFO unknown"
    return kind(libs), "%s (%s; torch %s, %s, %s threads)" % (
        kind(libs), ", ".join(libs) or "no BLAS library mapped", torch.__version__, build,
        torch.get_num_threads())


def check(allow_reference=False):
    """Prints which BLAS PyTorch runs on to stderr; exits 2 on the reference BLAS unless allowed."""
    k, line = describe()
    print("PyTorch BLAS: " + line, file=sys.stderr)
    if k == "reference":
        bar = "!" * 78
        print(bar + "\nPyTorch runs on the REFERENCE BLAS: its times are several times slower than "
              "with\nOpenBLAS or MKL, so a comparison would be unfair. Install an optimised BLAS:\n"
              "  sudo apt-get install libopenblas0-pthread\n" + bar, file=sys.stderr)
        if not allow_reference:
            print("refusing to time it (pass --allow-reference-blas to go on anyway)",
                  file=sys.stderr)
            sys.exit(2)
    return k, line
