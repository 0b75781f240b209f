"""Thinc operations for the trained pipeline: matrix products through NumPy's BLAS.

thinc's ``NumpyOps.gemm`` calls the BLIS library bundled with the ``blis`` wheel. On CPUs it does not
recognise (seen on the project's AMD EPYC machines) BLIS falls back to generic kernels, 2.5-3x slower
than the OpenBLAS that NumPy ships; the tok2vec layers are nearly all matrix products, so the whole
pipeline ran at about half speed. :class:`BlasOps` keeps everything else of ``NumpyOps`` and routes
``gemm`` through ``numpy.matmul``. The results are the same products (float32, up to rounding).
"""

from __future__ import annotations

from typing import Any

import numpy
from thinc.api import NumpyOps


class BlasOps(NumpyOps):
    name = "dossier_blas"

    def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out
