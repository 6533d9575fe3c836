"""The bundled ``motcua`` program (with a console): every ``motcua`` command, the apps included."""

import sys

from launcher import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
