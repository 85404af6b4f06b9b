"""``carepages build``: every published page of every locale, the index, the manifest and the bundles in dist/.

The build renders exactly the verdict (:mod:`carepages.verdict`): a page withheld
in a locale never reaches dist/ in any form. The package, in the order a build runs:

* :mod:`~carepages.build.dist` -- the lock, recovery after an interruption, staging and swap;
* :mod:`~carepages.build.keys` -- what each output depends on, as hashes;
* :mod:`~carepages.build.cache` -- what the last build worked out, reused by key;
* :mod:`~carepages.build.run` -- the steps: assess, plan, render, publish;
* :mod:`~carepages.build.worker` -- the work done in the worker processes;
* :mod:`~carepages.build.outputs` -- bundles, ``index.html`` and ``manifest.json``;
* :mod:`~carepages.build.summary` -- what the build did, for the command line.

Outputs are byte-identical for identical inputs, whatever the number of workers.
"""

from carepages.build.run import run_build
from carepages.build.summary import BuildSummary

__all__ = ["BuildSummary", "run_build"]
