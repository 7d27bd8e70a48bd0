"""`python -m tools.classroom`: build the assignments or grade submissions."""

import sys

from tools.classroom import main

sys.exit(main())
