"""``carepages build``: every published page of every locale, the index, the manifest and the bundles in dist/.

The build renders exactly the verdict (:mod:`carepages.verdict`): a page withheld
in a locale never reaches dist/ in any form. The package, in the order a build runs:

* :mod:`~carepages.builder.dist` -- the lock, recovery after an interruption, staging and swap;
* :mod:`~carepages.builder.keys` -- what each output depends on, as hashes;
* :mod:`~carepages.builder.cache` -- what the last build worked out, reused by key;
* :mod:`~carepages.builder.run` -- the steps: assess, plan, render, publish;
* :mod:`~carepages.builder.worker` -- the work done in the worker processes;
* :mod:`~carepages.builder.outputs` -- bundles, ``index.html`` and ``manifest.json``;
* :mod:`~carepages.builder.summary` -- what the build did, for the command line.

Outputs are byte-identical for identical inputs, whatever the number of workers.
"""

from carepages.builder.run import run_build
from carepages.builder.summary import BuildSummary

__all__ = ["BuildSummary", "run_build"]
