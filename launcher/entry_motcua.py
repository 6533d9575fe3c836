"""The bundled ``motcua`` program (with a console): every ``motcua`` command, the apps included."""

import sys

from launcher import bundled_main

if __name__ == "__main__":
    sys.exit(bundled_main(sys.argv[1:]))
