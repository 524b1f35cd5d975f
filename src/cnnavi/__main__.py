import sys

from cnnavi.cli import main

sys.exit(main())
